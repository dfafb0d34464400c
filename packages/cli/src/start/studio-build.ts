import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Newest modification time of any file below `dir` (ignoring build output and dependencies). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === ".next" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The studio needs a production build before `next start`. It is rebuilt when there is none, or when
 * a source file of the studio or of a package it bundles changed after the last build.
 */
export function studioNeedsBuild(studioDir: string, sourceDirs: readonly string[]): boolean {
  const buildId = join(studioDir, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  return sourceDirs.some((dir) => existsSync(dir) && newestMtime(dir) > builtAt);
}

/**
 * Runs `next build` for the studio, relaying its output; rejects when the build fails or `signal`
 * aborts it (start-up failed elsewhere, or a stop was requested, while the studio was building).
 */
export function buildStudio(
  studioDir: string,
  nextBin: string,
  out: NodeJS.WritableStream,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const build = spawn(process.execPath, [nextBin, "build"], {
      cwd: studioDir,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "pipe", "pipe"],
      ...(signal ? { signal } : {}),
    });
    build.stdout.on("data", (chunk) => out.write(chunk));
    build.stderr.on("data", (chunk) => out.write(chunk));
    build.once("error", reject);
    build.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`the studio build failed (next build exited ${code})`)),
    );
  });
}
