import cluster from "node:cluster";

/** What the runtime asks `parley start` over the IPC channel: "tell me when the database is ready". */
export const AWAIT_DATABASE_MESSAGE = "parley:await-database";
/** The answer, sent once the database is up and migrated. */
export const DATABASE_READY_MESSAGE = "parley:database-ready";

/**
 * Under `parley start` the runtime is spawned before the database is open, so that loading its
 * modules (seconds on a busy machine) overlaps the database's start-up. The parent sets
 * `PARLEY_AWAIT_DATABASE=1`; the runtime asks over the IPC channel once it listens for the answer
 * (so the answer cannot arrive before anyone listens), and the parent answers when migrations are
 * applied (`requested`: the validated `PARLEY_AWAIT_DATABASE`). Resolves at once otherwise (run by hand, tests, cluster workers). Exits when the parent
 * goes away first: there is nobody to serve for.
 */
export function awaitDatabaseReady(requested: boolean): Promise<void> {
  const send = process.send?.bind(process);
  if (!requested || !send || !cluster.isPrimary) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const onDisconnect = () => process.exit(1);
    const onMessage = (message: unknown) => {
      if ((message as { type?: unknown } | null)?.type !== DATABASE_READY_MESSAGE) return;
      process.off("message", onMessage);
      process.off("disconnect", onDisconnect);
      resolve();
    };
    process.on("message", onMessage);
    process.once("disconnect", onDisconnect);
    send({ type: AWAIT_DATABASE_MESSAGE });
  });
}

/**
 * Calls `stop` when the supervising parent's IPC channel closes (the parent died without stopping
 * us), so the runtime does not linger as an orphan holding the port. No-op without a channel.
 */
export function stopWhenOrphaned(stop: () => void): void {
  if (!process.send || !cluster.isPrimary) return;
  process.once("disconnect", stop);
}
