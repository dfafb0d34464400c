import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { z } from "zod";
import { DataDirCorruptError, PortInUseError } from "../errors";
import { inspectDataDir, lockDataDir } from "./data-dir";

/** Options of {@link startEmbeddedPostgres}. */
export const embeddedPostgresOptionsSchema = z.object({
  /** Directory holding the database files; created if missing. Omit for a throwaway in-memory database. */
  dataDir: z.string().min(1).optional(),
  /** TCP port on `host`; 0 (the default) picks a free one. */
  port: z.number().int().min(0).max(65535).default(0),
  /** Interface to bind; loopback: the server is for the processes of this machine. */
  host: z.string().default("127.0.0.1"),
  /**
   * Password clients must prove (SCRAM-SHA-256) for any user name; it is in the returned `url`.
   * Omitted: a random one for this server's lifetime (tests, throwaway databases). `parley start`
   * passes the one kept in the data directory (see {@link loadOrCreateDbPassword}).
   */
  password: z.string().min(16).optional(),
  /**
   * Most client connections at once, over all processes that connect (studio, runtime, CLI). Each
   * process's pool must stay below this; see {@link EMBEDDED_POOL_SIZE}.
   */
  maxConnections: z.number().int().min(1).default(64),
  /**
   * A connection that keeps the single session (open transaction) while others wait and sends nothing for
   * this long is disconnected, which rolls its transaction back.
   */
  sessionHoldTimeoutMs: z.number().int().positive().default(30_000),
  /**
   * Server settings (`-c name=value` at start-up), e.g. `{ shared_buffers: "16MB" }`: PGlite keeps
   * shared buffers in its WebAssembly memory, so they count fully towards the process's RSS.
   */
  settings: z.record(z.string().regex(/^[a-z_]+$/), z.string().min(1)).default({}),
});

/** Input of {@link startEmbeddedPostgres}. */
export type EmbeddedPostgresOptions = z.input<typeof embeddedPostgresOptionsSchema>;

/**
 * Pool size each process should use against the embedded server. PGlite executes one statement at a time
 * whatever the pool size, and a transaction holds the whole server until it ends, so a larger pool only
 * queues work on the server instead of in the client; a few connections keep short reads from waiting
 * behind each other's round trips.
 */
export const EMBEDDED_POOL_SIZE = 4;

/** A running embedded Postgres (PGlite served over TCP). */
export interface EmbeddedPostgres {
  /** Connection URL for `openDatabase`, `pg` or psql (user postgres, the server's password, database postgres). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Absolute data directory, or undefined when in memory. */
  readonly dataDir: string | undefined;
  /** Number of client connections right now. */
  connectionCount(): number;
  /** Client messages waiting for the single session right now (how far behind the server is). */
  queuedMessages(): number;
  /**
   * Stops the server: disconnects clients (rolling back their open transactions), waits for the running
   * statement, shuts Postgres down cleanly (checkpoint) and releases the data directory lock.
   * Every commit that was acknowledged is on disk. Safe to call twice.
   */
  stop(): Promise<void>;
}

/**
 * Starts PGlite with a persistent data directory and serves it over the Postgres wire protocol on
 * 127.0.0.1, so the same Prisma client and `@prisma/adapter-pg` connect to it as to a real server.
 *
 * Throws {@link DataDirForeignError} for a directory with unrelated files, {@link DataDirCorruptError}
 * for a damaged or incompatible database, {@link DataDirInUseError} when another live process serves it,
 * and {@link PortInUseError} when the port is taken.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  const config = embeddedPostgresOptionsSchema.parse(options);
  const dataDir = config.dataDir === undefined ? undefined : resolve(config.dataDir);
  if (dataDir !== undefined) inspectDataDir(dataDir);
  // Fail fast, before seconds of PGlite start-up (and initdb into a new directory).
  if (config.port !== 0) await assertPortFree(config.host, config.port);
  const unlock = dataDir === undefined ? () => {} : lockDataDir(dataDir);

  let db: PGlite;
  try {
    db = await openPglite(dataDir, config.settings);
  } catch (error) {
    unlock();
    throw error;
  }

  try {
    return await servePglite(db, config, { dataDir, onStopped: unlock });
  } catch (error) {
    unlock();
    throw error;
  }
}

/**
 * Serves an already created PGlite instance (internal; the testing module starts databases from a
 * migrated template this way). Closes `db` when it fails to start and when stopped.
 */
export async function servePglite(
  db: PGlite,
  options: EmbeddedPostgresOptions,
  extra: { dataDir?: string; onStopped?: () => void } = {},
): Promise<EmbeddedPostgres> {
  const config = embeddedPostgresOptionsSchema.parse(options);
  // Loaded on demand, like PGlite itself: processes that only connect (studio, runtime) never load them.
  const { PgliteSocketServer } = await import("./socket-server");
  const password = config.password ?? randomBytes(24).toString("base64url");
  const server = new PgliteSocketServer(db, {
    host: config.host,
    port: config.port,
    maxConnections: config.maxConnections,
    sessionHoldTimeoutMs: config.sessionHoldTimeoutMs,
    password,
  });
  try {
    await server.start();
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      try {
        await server.stop();
        await db.close();
      } finally {
        extra.onStopped?.();
      }
    })();
    return stopping;
  };

  return {
    url: embeddedDatabaseUrl(config.host, server.port, password),
    host: config.host,
    port: server.port,
    dataDir: extra.dataDir,
    connectionCount: () => server.connectionCount,
    queuedMessages: () => server.queuedMessages,
    stop,
  };
}

/** The URL of an embedded server (user postgres, database postgres). */
export function embeddedDatabaseUrl(host: string, port: number, password: string): string {
  return `postgresql://postgres:${encodeURIComponent(password)}@${host}:${port}/postgres`;
}

async function assertPortFree(host: string, port: number): Promise<void> {
  const probe = createServer();
  await new Promise<void>((resolvePromise, reject) => {
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new PortInUseError(host, port, { cause: error }) : error),
    );
    probe.listen(port, host, () => probe.close(() => resolvePromise()));
  });
}

async function openPglite(dataDir: string | undefined, settings: Record<string, string>): Promise<PGlite> {
  const { PGlite } = await import("@electric-sql/pglite");
  // pgvector is offered (not installed): the knowledge base creates the extension when a tenant has
  // an embedding model. Offering it costs nothing measurable at start-up.
  const { vector } = await import("@electric-sql/pglite-pgvector");
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  try {
    const startParams = [
      ...PGlite.defaultStartParams,
      ...Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
    ];
    const db = await PGlite.create({
      ...(dataDir === undefined ? {} : { dataDir }),
      extensions: { vector },
      startParams,
    });
    // Fail here, with the data directory named, rather than on the first client query.
    await db.query("SELECT 1");
    return db;
  } catch (error) {
    if (dataDir === undefined) throw error;
    throw new DataDirCorruptError(dataDir, error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
}
