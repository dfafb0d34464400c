import { existsSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";
import type { CliEnv } from "../env";
import { appDirs, exitWithParentPreload, repoRoot, studioPeerPreload } from "../paths";
import type { ChildSpec } from "./child-process";
import { CHILD_NODE_FLAGS } from "./node-flags";
import { buildStudio, studioNeedsBuild } from "./studio-build";

/** Builds the studio when it has no build or its sources changed; says whether it built. */
export async function ensureStudioBuilt(out: NodeJS.WritableStream, signal?: AbortSignal): Promise<boolean> {
  if (!studioNeedsBuild(appDirs.studio, studioSourceDirs())) return false;
  out.write("Building the studio (first start, or its sources changed) ...\n");
  await buildStudio(appDirs.studio, nextBin(), out, signal);
  return true;
}

/** The studio child: `next start` on the production build, stopped if we die without stopping it. */
export function studioSpec(env: CliEnv, childEnv: NodeJS.ProcessEnv): ChildSpec {
  return {
    name: "studio",
    command: process.execPath,
    // `next start` cannot notice that we died; the preload stops it when the IPC channel closes.
    args: [
      ...CHILD_NODE_FLAGS,
      "--require",
      exitWithParentPreload,
      "--require",
      studioPeerPreload,
      nextBin(),
      "start",
      "--port",
      String(env.STUDIO_PORT),
      // Loopback by default, like the runtime and the database: exposing the studio is a decision.
      "--hostname",
      env.STUDIO_HOST,
    ],
    cwd: appDirs.studio,
    env: { ...childEnv, PORT: String(env.STUDIO_PORT), HOSTNAME: env.STUDIO_HOST },
    ipc: true,
    healthUrl: `http://${probeHost(env.STUDIO_HOST)}:${env.STUDIO_PORT}/api/health`,
    ...(childEnv.PARLEY_INSTANCE_ID ? { instanceId: childEnv.PARLEY_INSTANCE_ID } : {}),
  };
}

/** Where to reach a server bound to `host` from this machine (a wildcard is reached on loopback). */
function probeHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "[::]") return "127.0.0.1";
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** Next's CLI entry, wherever npm hoisted it. */
function nextBin(): string {
  const candidates = [
    join(appDirs.studio, "node_modules/next/dist/bin/next"),
    join(repoRoot, "node_modules/next/dist/bin/next"),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error("Next.js is not installed: run `npm install` first.");
  return found;
}

/**
 * Sources the studio bundles: its own, and those of the workspace packages its next.config names
 * (`transpilePackages`), read from the config so a package added there is watched too.
 */
function studioSourceDirs(): string[] {
  const configFile = join(appDirs.studio, "next.config.ts");
  const config = existsSync(configFile) ? readFileSync(configFile, "utf8") : "";
  const packages = new Set([...config.matchAll(/"@parley\/([a-z0-9-]+)"/g)].map((match) => match[1]!));
  return [
    join(appDirs.studio, "src"),
    ...[...packages].map((name) => join(repoRoot, "packages", name, "src")),
  ];
}
