import { type Database, EMBEDDED_POOL_SIZE, type EmbeddedPostgres, openDatabase } from "@parley/db";
import type { CliEnv } from "../env";
import { startEmbeddedServer } from "./embedded-server";

/** The database a command works on, and the embedded server behind it when there is one. */
export interface ConfiguredDatabase {
  readonly db: Database;
  /** Present in embedded mode: the PGlite server this process hosts for itself and its children. */
  readonly embedded: EmbeddedPostgres | undefined;
  /** The URL child processes connect with. */
  readonly url: string;
  /** Closes the client, then (embedded mode) flushes and stops the server. */
  close(): Promise<void>;
}

/**
 * Opens the database the environment points at: `DATABASE_URL` when set, otherwise the embedded PGlite
 * under the data directory, served on 127.0.0.1 so other processes (runtime, studio) can connect too.
 */
export async function openConfiguredDatabase(env: CliEnv): Promise<ConfiguredDatabase> {
  if (env.DATABASE_URL) {
    const db = await openDatabase({ url: env.DATABASE_URL, applicationName: "parley-cli" });
    return { db, embedded: undefined, url: env.DATABASE_URL, close: () => db.close() };
  }
  const embedded = await startEmbeddedServer(env);
  try {
    const db = await openDatabase({
      url: embedded.url,
      poolSize: EMBEDDED_POOL_SIZE,
      idleInTransactionTimeoutMs: 0,
      applicationName: "parley-cli",
    });
    return {
      db,
      embedded,
      url: embedded.url,
      close: async () => {
        await db.close();
        await embedded.stop();
      },
    };
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}
