import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { z } from "zod";
import { type ChannelStore, createChannelStore } from "../channels/channel-store";
import { InboundBatcher } from "../channels/inbound-batcher";
import { type ConfigRevision, watchConfigRevision } from "../config-revision/config-revision";
import { type ConversationStore, createConversationStore } from "../conversations/conversation-store";
import { priorityApplicationName } from "../embedded/session-priority";
import { DatabaseUnreachableError, TenantScopeError } from "../errors";
import { PrismaClient } from "../generated/prisma/client";
import {
  type ApplyMigrationsOptions,
  applyMigrations,
  assertSchemaCurrent,
  type MigrationSource,
  type MigrationStatus,
  readMigrationStatus,
} from "../migrations/migration-runner";
import { createOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from "../outbox/relay";
import {
  createTenantClient,
  DEFAULT_TRANSACTION_OPTIONS,
  type TenantBaseClient,
  type TenantClient,
  tenantOmittedUserFields,
} from "../tenancy/tenant-client";
import { describeConnectionFailure, redactUrl } from "./connection-url";
import { TolerantPgClient } from "./tolerant-pg-client";

/** Options of {@link openDatabase}. */
export const openDatabaseOptionsSchema = z.object({
  /** postgres:// or postgresql:// URL (real Postgres, or the embedded server's `url`). */
  url: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL"),
  /**
   * Connections in this process's pool. Real Postgres: 10 is a good default. Embedded server: use
   * EMBEDDED_POOL_SIZE (4); every process's pool counts against the server's maxConnections.
   */
  poolSize: z.number().int().min(1).max(200).default(10),
  /**
   * Connections of a second pool that only stores inbound channel events (the webhook's one insert
   * before it answers the platform), so an acknowledgement never queues behind turns for the main
   * pool's connections. The embedded server, which runs one transaction at a time whatever the pool,
   * serves this pool's statements before queued ones (its connections ask for session priority: see
   * session-priority.ts). 0: the main pool stores them too.
   */
  ingestPoolSize: z.number().int().min(0).max(20).default(0),
  /** How long to wait for a connection to be established, in ms. */
  connectTimeoutMs: z.number().int().positive().default(5_000),
  /** Shown in pg_stat_activity. */
  applicationName: z.string().default("parley"),
  /** Where the migrations live (tests only; defaults to the repository's prisma/migrations). */
  migrationsDir: z.string().optional(),
  /** Defaults for tenant-scoped transactions (Prisma interactive transaction options). */
  transactionDefaults: z
    .object({ maxWait: z.number().int().positive(), timeout: z.number().int().positive() })
    .default(DEFAULT_TRANSACTION_OPTIONS),
  /**
   * Postgres ends a session left idle inside a transaction this long (ms; 0 = never), so a transaction
   * whose caller stopped (a crash between statements, a promise that never settles) cannot hold row
   * locks and a pool connection forever. Longer than any transaction's `timeout`. The embedded server
   * serves every socket from one backend session: pass 0 there.
   */
  idleInTransactionTimeoutMs: z.number().int().min(0).default(60_000),
  /**
   * Postgres's JIT compilation for this pool's sessions (off by default). Its cost estimates come from row
   * counts the analytics queries overestimate by orders of magnitude, so it compiled for 2-9 s queries that
   * run in 0.2 s (a year's dashboard at 10M events); the turn's statements never gain from it.
   */
  jit: z.boolean().default(false),
  /** How long `close()` waits for checked-out connections before closing them anyway, in ms. */
  closeGraceMs: z.number().int().min(0).default(5_000),
});

/** Input of {@link openDatabase}. */
export type OpenDatabaseOptions = z.input<typeof openDatabaseOptionsSchema>;

/**
 * The unscoped Prisma client for cross-tenant system operations: sign-in by email, API key lookup by hash,
 * inbound webhook routing, seeding, tenant creation. Runs as the connecting role (member of
 * parley_system), so row-level security does not restrict it. Never hand it to tenant-facing code.
 */
export type SystemClient = PrismaClient;

/** An open database: the one entry point to Postgres (real or embedded) for the whole product. */
export interface Database {
  /** The cross-tenant system client; see {@link SystemClient}. */
  readonly system: SystemClient;
  /**
   * A client confined to one tenant (scoping layer + row-level security). Throws TenantScopeError for a
   * missing or blank id. Cheap: create one per request.
   */
  forTenant(tenantId: string): TenantClient;
  /**
   * The turn pipeline's plain-SQL store for one tenant: one round trip per transaction, same
   * row-level security as `forTenant`. Throws TenantScopeError (on use) for a missing or blank id.
   */
  conversationStore(tenantId: string): ConversationStore;
  /** The channel paths' plain-SQL store for one tenant (webhook ingest, thread drains, deliveries); same rules. */
  channelStore(tenantId: string): ChannelStore;
  /**
   * The outbox relay of this process (see OutboxRelay): subscribe consumer groups, add sinks (Kafka), then
   * `start()`. It opens one connection of its own (the leader lock lives on it).
   */
  createOutboxRelay(options?: OutboxRelayOptions): OutboxRelay;
  /** The configuration revision (see ConfigRevision): drop in-memory configuration caches when it moves. */
  readonly configRevision: ConfigRevision;
  /** The URL without password, for logs. */
  readonly url: string;

  /** Resolves when the database answers `SELECT 1`; rejects with DatabaseUnreachableError otherwise. */
  ping(): Promise<void>;
  /** Applies pending migrations (see applyMigrations); returns the names applied. */
  migrate(options?: Omit<ApplyMigrationsOptions, "migrationsDir">): Promise<string[]>;
  /** How the database's migrations compare with this code's. */
  migrationStatus(): Promise<MigrationStatus>;
  /** Throws SchemaOutdatedError / SchemaAheadError / MigrationChecksumError unless the schema is current. */
  assertSchemaCurrent(): Promise<void>;
  /**
   * Deletes a tenant and everything it owns, including what is otherwise undeletable (published flow
   * versions, audit log). A system operation: nothing tenant-scoped can do this.
   */
  purgeTenant(tenantId: string): Promise<void>;
  /**
   * Deletes one bot of a tenant and everything it owns, published flow versions included (otherwise
   * immutable). A system operation: core calls it only after its own permission and confirmation checks.
   */
  purgeBot(tenantId: string, botId: string): Promise<void>;
  /** Deletes one flow of a tenant with its versions (published ones included) and conversations; see purgeBot. */
  purgeFlow(tenantId: string, flowId: string): Promise<void>;
  /** Closes both Prisma clients and the pool. */
  close(): Promise<void>;
}

/**
 * Makes `pool` survive the server dropping connections that are checked out (a Postgres restart or
 * failover in the middle of a transaction):
 * - such a client emits 'error', and the pool listens only to idle clients: without a listener of
 *   its own the process crashes;
 * - Prisma's driver adapter never releases an interactive transaction's client whose ROLLBACK
 *   failed on the dead connection, so each one would hold a pool slot for ever (the pool runs dry
 *   after `max` of them and `close()` hangs). The dead client is released here, with the error, so
 *   the pool discards it; the owner's own later `release()` does nothing.
 * The query in flight still rejects with the server's error.
 */
function releaseDroppedConnections(pool: pg.Pool): ReadonlySet<pg.PoolClient> {
  const checkedOut = new Set<pg.PoolClient>();
  pool.on("acquire", (client) => checkedOut.add(client));
  pool.on("release", (_error, client) => checkedOut.delete(client as pg.PoolClient));
  pool.on("connect", (client) => {
    client.on("error", () => {});
    client.once("end", () => {
      const held = client as pg.PoolClient;
      if (!checkedOut.delete(held)) return;
      const release = held.release;
      held.release = () => {};
      try {
        release.call(held, new Error("the database closed the connection"));
      } catch {
        // already released
      }
    });
  });
  return checkedOut;
}

/**
 * Connects to Postgres through one `pg` pool shared by the Prisma clients (with `@prisma/adapter-pg`).
 * Checks the connection first, so an unreachable database fails here with one clear
 * {@link DatabaseUnreachableError}. It does not migrate; call `migrate()` or `assertSchemaCurrent()`.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const config = openDatabaseOptionsSchema.parse(options);
  const url = redactUrl(config.url);
  const openPool = (max: number, applicationName: string) => {
    const opened = new pg.Pool({
      connectionString: config.url,
      max,
      connectionTimeoutMillis: config.connectTimeoutMs,
      application_name: applicationName,
      ...(config.idleInTransactionTimeoutMs > 0
        ? { idle_in_transaction_session_timeout: config.idleInTransactionTimeoutMs }
        : {}),
      ...(config.jit ? {} : { options: "-c jit=off" }),
      Client: TolerantPgClient,
    });
    // An idle connection dropped by the server (restart, failover) must not crash the process; the
    // pool replaces it on the next checkout.
    opened.on("error", () => {});
    return opened;
  };
  const pool = openPool(config.poolSize, config.applicationName);
  // Also what `close()` ends when a stuck caller never gives its connection back.
  const checkedOut = releaseDroppedConnections(pool);
  // The embedded server serves the ingest pool's inserts before queued turns (see session-priority.ts).
  const ingestPool =
    config.ingestPoolSize > 0
      ? openPool(config.ingestPoolSize, priorityApplicationName(`${config.applicationName}-ingest`))
      : undefined;
  const ingestCheckedOut = ingestPool ? releaseDroppedConnections(ingestPool) : undefined;
  // On the main pool, inserts take at most two of its connections at a time (and group behind them).
  const inbound = new InboundBatcher(ingestPool ?? pool, config.ingestPoolSize || 2);

  const ping = async () => {
    try {
      await pool.query("SELECT 1");
    } catch (error) {
      throw new DatabaseUnreachableError(url, describeConnectionFailure(error, config.connectTimeoutMs), {
        cause: error,
      });
    }
  };
  try {
    await ping();
  } catch (error) {
    await Promise.all([pool.end().catch(() => {}), ingestPool?.end().catch(() => {})]);
    throw error;
  }

  const transactionOptions = transactionOptionsFor(config);
  const system = new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions });
  const tenantBase: TenantBaseClient = new PrismaClient({
    adapter: new PrismaPg(pool),
    omit: { user: tenantOmittedUserFields },
    transactionOptions,
  });
  const source: MigrationSource = { migrationsDir: config.migrationsDir };
  const configRevision = watchConfigRevision(pool);
  let closing: Promise<void> | undefined;

  return {
    system,
    url,
    forTenant: (tenantId) => createTenantClient(tenantBase, tenantId, config.transactionDefaults),
    conversationStore: (tenantId) => createConversationStore(pool, tenantId),
    channelStore: (tenantId) => createChannelStore(pool, tenantId, inbound),
    createOutboxRelay: (relayOptions) =>
      createOutboxRelay(
        { connectionString: config.url, connectionTimeoutMillis: config.connectTimeoutMs },
        relayOptions,
      ),
    configRevision,
    ping,
    migrate: (migrateOptions) => applyMigrations(pool, { ...migrateOptions, ...source }),
    migrationStatus: () => readMigrationStatus(pool, source),
    assertSchemaCurrent: () => assertSchemaCurrent(pool, source),
    purgeTenant: async (tenantId) => {
      if (typeof tenantId !== "string" || tenantId.trim() === "") {
        throw new TenantScopeError("purgeTenant(): a tenant id is required");
      }
      await system.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('parley.purge_tenant', ${tenantId}, true)`;
        await tx.tenant.delete({ where: { id: tenantId } });
      });
    },
    purgeBot: async (tenantId, botId) => {
      requireIds("purgeBot", tenantId, botId);
      await system.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('parley.purge_bot', ${`${tenantId}:${botId}`}, true)`;
        await tx.bot.deleteMany({ where: { id: botId, tenantId } });
      });
    },
    purgeFlow: async (tenantId, flowId) => {
      requireIds("purgeFlow", tenantId, flowId);
      await system.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('parley.purge_flow', ${`${tenantId}:${flowId}`}, true)`;
        await tx.flow.deleteMany({ where: { id: flowId, tenantId } });
      });
    },
    close: () => {
      closing ??= (async () => {
        configRevision.close();
        await Promise.allSettled([system.$disconnect(), tenantBase.$disconnect()]);
        await Promise.all([
          endPool(pool, checkedOut, config.closeGraceMs),
          ingestPool && ingestCheckedOut
            ? endPool(ingestPool, ingestCheckedOut, config.closeGraceMs)
            : undefined,
        ]);
      })();
      return closing;
    },
  };
}

/**
 * Ends the pool; a connection still checked out after `graceMs` (its caller hangs) is closed, which
 * rolls its transaction back, instead of the close waiting for it forever.
 */
async function endPool(
  pool: pg.Pool,
  checkedOut: ReadonlySet<pg.PoolClient>,
  graceMs: number,
): Promise<void> {
  const ended = pool.end();
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<"grace over">((resolve) => {
    timer = setTimeout(() => resolve("grace over"), graceMs);
    timer.unref();
  });
  const first = await Promise.race([ended, graceOver]);
  clearTimeout(timer);
  if (first !== "grace over") return;
  // Ending them releases them (releaseDroppedConnections), so the pool's end settles too.
  await Promise.allSettled([...checkedOut].map((client) => (client as unknown as pg.Client).end()));
  await ended;
}

/**
 * Prisma's default transaction options for these clients (batch `$transaction([...])` included, which
 * takes no options of its own). `maxWait` must outlast the pool's own wait: when Prisma gives up on a
 * transaction whose BEGIN is still under way, the adapter later finishes the BEGIN and nobody ever
 * commits or releases that connection (seen under load: the pool shrinks until everything waits). So
 * the pool's connect timeout decides first, and a slow BEGIN gets the transaction's whole budget.
 */
function transactionOptionsFor(config: z.output<typeof openDatabaseOptionsSchema>) {
  const { maxWait, timeout } = config.transactionDefaults;
  return { maxWait: Math.max(maxWait, config.connectTimeoutMs + timeout), timeout };
}

function requireIds(operation: string, tenantId: string, id: string): void {
  for (const value of [tenantId, id]) {
    if (typeof value !== "string" || value.trim() === "") {
      throw new TenantScopeError(`${operation}(): a tenant id and an id are required`);
    }
  }
}
