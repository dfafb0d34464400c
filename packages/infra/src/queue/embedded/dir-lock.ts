import { open, readFile, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { InfraError } from "../../internal/infra-error";

const LOCK_FILE = "owner.lock";
/** Directories this process holds, to refuse a second queue on the same directory in-process too. */
const heldByThisProcess = new Set<string>();

/**
 * Makes one process the only writer of an embedded queue directory (internal). Two writers would
 * interleave journal lines and lose jobs, so a second one is refused with a message that says what
 * to do. A lock left by a process that no longer runs is taken over.
 * @returns a function that gives the directory up again
 * @throws InfraError `QUEUE_DIR_IN_USE`
 */
export async function lockDirectory(dir: string): Promise<() => Promise<void>> {
  const resolved = path.resolve(dir);
  const lockPath = path.join(resolved, LOCK_FILE);
  if (heldByThisProcess.has(resolved)) throw inUse(resolved, process.pid);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(lockPath, "wx", 0o600);
      await handle.writeFile(
        JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }),
      );
      await handle.close();
      heldByThisProcess.add(resolved);
      return async () => {
        heldByThisProcess.delete(resolved);
        await unlink(lockPath).catch(() => {});
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = await readOwner(lockPath);
      if (owner && owner.host === hostname() && isRunning(owner.pid) && owner.pid !== process.pid) {
        throw inUse(resolved, owner.pid);
      }
      // Stale: its process is gone (or it is ours from an instance that was never closed).
      await unlink(lockPath).catch(() => {});
    }
  }
  throw inUse(resolved, undefined);
}

function inUse(dir: string, pid: number | undefined): InfraError {
  const who = pid === undefined ? "another process" : `process ${pid}`;
  return new InfraError(
    "QUEUE_DIR_IN_USE",
    `the embedded job queue in ${dir} is in use by ${who}; only one process may run it. ` +
      `Stop that process, or set REDIS_URL to run several processes. If no Parley process is running, ` +
      `delete ${path.join(dir, LOCK_FILE)}.`,
  );
}

async function readOwner(lockPath: string): Promise<{ pid: number; host: string } | undefined> {
  try {
    const parsed = JSON.parse(await readFile(lockPath, "utf8")) as { pid?: unknown; host?: unknown };
    if (typeof parsed.pid === "number" && typeof parsed.host === "string")
      return { pid: parsed.pid, host: parsed.host };
  } catch {
    // Unreadable or half-written lock file: treat as stale.
  }
  return undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
