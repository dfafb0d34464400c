import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { copyFile, mkdir, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { loadMigrationFiles } from "@parley/db/embedded";
import { cacheDir } from "../../bin/bundles.js";
import { cliBin, repoRoot } from "../paths";

/**
 * New embedded data directories are copies of a template: a PGlite data directory that is initialised
 * and migrated, cached under node_modules/.cache/parley and named after the PGlite build and the
 * migrations (a changed migration or PGlite upgrade makes a new one, never a stale copy).
 *
 * Why: initdb inside PGlite takes seconds, and the process that ran it stays hundreds of MB larger
 * for its whole life (PGlite's WebAssembly memory never shrinks). So a short-lived child process makes
 * the template once, and each new data directory is a file copy (a fraction of a second). A copy of a cleanly
 * shut down data directory is a valid Postgres cluster; the copies share a system identifier, which
 * only matters for replication, which the embedded database does not do.
 */
export async function fillFromTemplate(pgdata: string): Promise<"copied" | "unavailable"> {
  if (!isEmptyOrMissing(pgdata)) return "unavailable";
  const template = await ensureTemplate();
  if (!template) return "unavailable";
  mkdirSync(dirname(pgdata), { recursive: true });
  const partial = `${pgdata}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  try {
    await copyTree(template, partial);
  } catch {
    // The template went away meanwhile (replaced after a migration changed): initdb it is.
    rmSync(partial, { recursive: true, force: true });
    return "unavailable";
  }
  try {
    // Replaces a missing or empty directory only: never one another process filled meanwhile.
    renameSync(partial, pgdata);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    if (isEmptyOrMissing(pgdata)) throw error;
  }
  return "copied";
}

/**
 * The template's directory, made first when missing; undefined when it cannot be made (not fatal:
 * the embedded server then runs initdb itself, only slower).
 */
export async function ensureTemplate(): Promise<string | undefined> {
  const template = templateDir();
  if (existsSync(join(template, "PG_VERSION"))) return template;
  try {
    await buildTemplate(template);
    return template;
  } catch (error) {
    if (process.env.PARLEY_DEBUG) process.stderr.write(`parley: no database template: ${error}\n`);
    return undefined;
  }
}

/** The template's directory for this PGlite build and these migrations. */
export function templateDir(): string {
  const hash = createHash("sha256");
  const fromDb = createRequire(join(repoRoot, "packages/db/package.json"));
  for (const name of ["@electric-sql/pglite", "@electric-sql/pglite-pgvector"]) {
    // PGlite does not export its package.json; it sits above the entry point's dist/ folder.
    hash.update(readFileSync(join(dirname(fromDb.resolve(name)), "..", "package.json")));
  }
  for (const migration of loadMigrationFiles()) hash.update(`${migration.name}:${migration.checksum}\n`);
  return join(cacheDir, `pgdata-template-${hash.digest("hex").slice(0, 16)}`);
}

/**
 * Runs `parley internal-db-template <dir>` in a child process, into a private directory that is
 * renamed into place when complete (two starts at once: the second rename loses, harmlessly).
 */
async function buildTemplate(template: string): Promise<void> {
  const work = `${template}.${process.pid}.build`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const pgdata = join(work, "pgdata");
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [cliBin, "internal-db-template", pgdata], {
        stdio: ["ignore", "ignore", "pipe"],
        env: { ...process.env, DATABASE_URL: "" },
      });
      let errors = "";
      child.stderr.on("data", (chunk) => {
        errors += String(chunk);
      });
      child.once("error", reject);
      child.once("exit", (code) =>
        code === 0 ? resolve() : reject(new Error(`the database template build failed: ${errors.trim()}`)),
      );
    });
    if (!existsSync(template)) {
      try {
        renameSync(pgdata, template);
      } catch (error) {
        if (!existsSync(join(template, "PG_VERSION"))) throw error;
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  removeOtherTemplates(template);
}

/** Templates of earlier migrations or PGlite builds are never used again (only copied from, at start). */
function removeOtherTemplates(current: string): void {
  for (const entry of readdirSync(dirname(current))) {
    const path = join(dirname(current), entry);
    if (/^pgdata-template-[0-9a-f]{16}$/.test(entry) && path !== current) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

/**
 * Copies a directory tree (the template's ~1,200 files). Asynchronous, with the files of each
 * directory copied concurrently on libuv's pool: fs.cp is several times slower, and a synchronous
 * copy would hold up the runtime and studio, which are spawned while the database opens.
 */
async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true, mode: 0o700 });
  const entries = await readdir(from, { withFileTypes: true });
  await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? copyTree(join(from, entry.name), join(to, entry.name))
        : copyFile(join(from, entry.name), join(to, entry.name)),
    ),
  );
}

function isEmptyOrMissing(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}
