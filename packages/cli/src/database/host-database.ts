import { resolve } from "node:path";
import {
  type EmbeddedPostgres,
  embeddedDatabaseUrl,
  loadOrCreateDbPassword,
  migrateAt,
} from "@parley/db/embedded";
import type { CliEnv } from "../env";
import type { StartupTimings } from "../start/startup-timings";
import { startEmbeddedServer } from "./embedded-server";

/** The database `parley start` runs the product on, as its parent process sees it. */
export interface HostedDatabase {
  /** The URL the children connect with. */
  readonly url: string;
  /** Present in embedded mode: the PGlite server this process hosts for its children. */
  readonly embedded: EmbeddedPostgres | undefined;
  /** Applies pending migrations; resolves with the names applied. */
  migrate(): Promise<string[]>;
  /** Embedded mode: flushes and stops the server. */
  close(): Promise<void>;
}

/**
 * The URL the product's processes will use, known before the database is open (the studio and the
 * runtime start while it opens). {@link hostDatabase} checks the server really listens there.
 * `embeddedPassword`: the data directory's `db-password` (see `loadOrCreateDbPassword`).
 */
export function databaseUrlFor(env: CliEnv, embeddedPassword: string): string {
  return env.DATABASE_URL || embeddedDatabaseUrl("127.0.0.1", env.PARLEY_EMBEDDED_DB_PORT, embeddedPassword);
}

/**
 * The database of `parley start`: `DATABASE_URL` when set, otherwise the embedded PGlite served on
 * 127.0.0.1. Unlike `openConfiguredDatabase` it opens no Prisma client: the parent only hosts the
 * database and migrates it; the children (runtime, studio, seeding) query it.
 */
export async function hostDatabase(env: CliEnv, timings?: StartupTimings): Promise<HostedDatabase> {
  if (env.DATABASE_URL) {
    const url = env.DATABASE_URL;
    return {
      url,
      embedded: undefined,
      migrate: () => migrateAt(url, { applicationName: "parley-cli" }),
      close: async () => {},
    };
  }
  const embedded = await startEmbeddedServer(env, timings);
  const expected = databaseUrlFor(env, await loadOrCreateDbPassword(resolve(env.PARLEY_DATA_DIR)));
  if (embedded.url !== expected) {
    await embedded.stop();
    throw new Error(
      `the embedded database listens at ${embedded.host}:${embedded.port}, not at 127.0.0.1:${env.PARLEY_EMBEDDED_DB_PORT}`,
    );
  }
  return {
    url: embedded.url,
    embedded,
    migrate: () => migrateAt(embedded.url, { applicationName: "parley-cli" }),
    close: () => embedded.stop(),
  };
}
