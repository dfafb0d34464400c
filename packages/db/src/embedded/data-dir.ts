import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";
import { DataDirCorruptError, DataDirForeignError, DataDirInUseError } from "../errors";

/** Postgres major version of the pinned PGlite build (0.5.14); a test checks it against the server. */
export const PGLITE_POSTGRES_MAJOR = "18";

/**
 * Checks that `dataDir` is missing, empty, or a Postgres data directory of the right major version
 * (internal). PGlite itself would happily run initdb over unrelated files, and fails with a generic
 * message on a data directory from another major version.
 */
export function inspectDataDir(dataDir: string): "new" | "existing" {
  if (!existsSync(dataDir)) return "new";
  if (!statSync(dataDir).isDirectory())
    throw new DataDirForeignError(dataDir, "it is a file, not a directory");
  const entries = readdirSync(dataDir);
  if (entries.length === 0) return "new";
  if (!entries.includes("PG_VERSION")) {
    throw new DataDirForeignError(dataDir, `no PG_VERSION file; found ${describeEntries(entries)}`);
  }
  const version = readFileSync(`${dataDir}/PG_VERSION`, "utf8").trim();
  if (version !== PGLITE_POSTGRES_MAJOR) {
    throw new DataDirCorruptError(
      dataDir,
      `it was created by PostgreSQL ${version || "(empty PG_VERSION)"}, the embedded server is PostgreSQL ` +
        PGLITE_POSTGRES_MAJOR,
    );
  }
  return "existing";
}

/**
 * Takes an exclusive lock on a data directory by creating `<dataDir>.lock` holding our pid (internal).
 * A lock left by a dead process is taken over. Returns the function that releases it.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockPath = `${dataDir}.lock`;
  mkdirSync(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(readFileSync(lockPath, "utf8"), 10);
      if (Number.isInteger(holder) && isAlive(holder)) {
        throw new DataDirInUseError(dataDir, holder);
      }
      // Stale (the holder died without cleaning up) or unreadable: remove and retry once.
      rmSync(lockPath, { force: true });
    }
  }
  throw new DataDirInUseError(dataDir, -1);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function describeEntries(entries: string[]): string {
  const shown = entries.slice(0, 3).join(", ");
  return entries.length > 3 ? `${shown} and ${entries.length - 3} more` : shown;
}
