import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

/** What `.parley/demo.json` holds: everything needed to use the seeded demo. */
export const demoCredentialsSchema = z.object({
  tenantId: z.string().min(1),
  botId: z.string().min(1),
  ownerEmail: z.email(),
  ownerPassword: z.string().min(1),
  apiKey: z.string().startsWith("sk_"),
  publishableKey: z.string().startsWith("pk_"),
  studioUrl: z.url(),
  runtimeUrl: z.url(),
});

/** The seeded demo's credentials and URLs. */
export type DemoCredentials = z.infer<typeof demoCredentialsSchema>;

/** Path of the demo file inside a data directory. */
export const demoFilePath = (dataDir: string) => join(dataDir, "demo.json");

/**
 * Reads the demo file; `undefined` when it does not exist. A file that exists but is not a valid demo
 * file is an error naming the file, never silently replaced (it may hold the only copy of a key).
 */
export function readDemoFile(dataDir: string): DemoCredentials | undefined {
  const path = demoFilePath(dataDir);
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(
      `${path} is not valid JSON (${(error as Error).message}); fix or delete it, then run \`parley seed\`.`,
    );
  }
  const result = demoCredentialsSchema.safeParse(parsed);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
      .join("; ");
    throw new Error(
      `${path} is not a valid demo file (${problems}); fix or delete it, then run \`parley seed\`.`,
    );
  }
  return result.data;
}

/** Writes the demo file atomically, readable by its owner only (it holds keys and a password). */
export function writeDemoFile(dataDir: string, credentials: DemoCredentials): string {
  const path = demoFilePath(dataDir);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(demoCredentialsSchema.parse(credentials), null, 2)}\n`, {
    mode: 0o600,
  });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
  return path;
}
