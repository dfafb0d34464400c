import { resolve } from "node:path";
import { ConfigError, type CoreEnv, outboundLimits } from "@parley/config";
import {
  type Database,
  openMongoTranscriptStore,
  postgresContactDirectory,
  type TranscriptStore,
} from "@parley/db";
import type { LoggerPort } from "@parley/engine";
import {
  createGuardedHttpClient,
  createInfrastructure,
  createVault,
  type GuardedHttpClient,
  type InfraLogger,
  type Infrastructure,
  loadOrCreateEmbeddedKey,
  mailerFor,
  parseKeyring,
} from "@parley/infra";
import { createModelEnginePorts, environmentModelConfig, type ModelEngineServices } from "@parley/models";
import type { CoreDeps, TurnObserver } from "../context";

/** How one process uses the application layer; everything else comes from the validated environment. */
export interface CoreCompositionOptions {
  /** The platform database, opened by the app (each app owns its connection and embedded server). */
  readonly db: Database;
  /**
   * Whether this process has the job queue: the runtime does (it runs the workers: timers, webhooks,
   * knowledge indexing); the studio only with Redis, to enqueue knowledge documents (in embedded mode
   * the queue journal has one writer, and the runtime's sweep picks up what the studio left pending).
   * Default false.
   */
  readonly withQueue?: boolean;
  /** Prefix of every Redis key (several deployments or test runs can share one Redis). */
  readonly redisKeyPrefix?: string;
  /** Let flows, webhooks and tenant model endpoints reach loopback (tests, local development). */
  readonly allowLoopbackHttp?: boolean;
  /** Where the infrastructure's warnings and errors go (a pino logger fits). */
  readonly infraLogger?: InfraLogger;
  /** Where turns log (a pino logger fits). */
  readonly engineLogger?: LoggerPort;
  /** Turn metrics of the host process. */
  readonly observer?: TurnObserver;
  /** Per-conversation turn budget, points per minute. */
  readonly conversationRateLimit?: number;
  /** The host's admission hook for awaits on external effects (see `CoreDeps.ioWait`). */
  readonly ioWait?: CoreDeps["ioWait"];
}

/** The application layer of one process, composed: core's dependencies and the model layer. */
export interface ComposedCore {
  /** What every core service call takes (`ServiceContext.deps`). */
  readonly deps: CoreDeps;
  readonly infra: Infrastructure;
  readonly http: GuardedHttpClient;
  /** The process-wide model layer (orchestrator, knowledge base, models admin) behind llm and knowledge nodes. */
  readonly models: ModelEngineServices;
  /** Closes what this created (the infrastructure: queue, locks, Redis); the database stays the app's. */
  close(): Promise<void>;
}

/**
 * The one composition of the application layer, shared by the runtime, the studio and the CLI:
 * the infrastructure (Redis when `REDIS_URL` is set, in-process otherwise), the secrets vault
 * (`PARLEY_SECRET_KEY`, else the key file in the data directory, so every process of a
 * deployment decrypts what another stored), the guarded outbound HTTP client (with the
 * operator's `PARLEY_OUTBOUND_ALLOWED_HOSTS`), and the model layer (tenants' routes over the
 * environment's providers). Build it once per process.
 *
 * @example
 * const env = parseEnv(coreEnvSchema);           // names every bad variable
 * const db = await openDatabase({ url: env.DATABASE_URL! });
 * const core = await createCoreDeps(env, { db });
 * await startConversation(systemContext(core.deps, tenantId), botId, {});
 * await core.close();
 */
export async function createCoreDeps(env: CoreEnv, options: CoreCompositionOptions): Promise<ComposedCore> {
  const dataDir = resolve(env.PARLEY_DATA_DIR);
  const secretKey = env.PARLEY_SECRET_KEY ?? (await loadOrCreateEmbeddedKey(dataDir)).secretKey;
  const vault = createVault(parseKeyring(secretKey));
  const http = guardedClient(env, options);
  const infra = await createInfrastructure({
    dataDir,
    withQueue: options.withQueue ?? false,
    ...(options.redisKeyPrefix ? { keyPrefix: options.redisKeyPrefix } : {}),
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    ...(options.infraLogger ? { logger: options.infraLogger } : {}),
  });
  // One model layer per process: SDK clients, breakers, latency averages and cached tenant
  // configurations outlive turns; edits made elsewhere reach it within the configuration cache's TTL.
  const models = createModelEnginePorts({
    db: options.db,
    vault,
    cache: infra.cache,
    http,
    environment: environmentModelConfig(env),
    // Call records are accounting, not conversation data: one insert per batch, off the turn's path.
    analyticsBatchMs: 200,
    ...(options.observer?.llmCallRecorded ? { onAnalytics: llmCallObserver(options.observer) } : {}),
  });
  const logger = options.engineLogger;
  const transcripts = env.MONGODB_URL ? await openTranscripts(env.MONGODB_URL, options.db, infra) : undefined;
  const deps: CoreDeps = {
    db: options.db,
    infra,
    vault,
    http,
    enginePorts: models.enginePorts,
    models,
    mailer: mailerFor(env.SMTP_URL, env.MAIL_FROM),
    studioUrl: env.PARLEY_STUDIO_URL,
    runtimePublicUrl: env.RUNTIME_PUBLIC_URL,
    ...(options.observer ? { observer: options.observer } : {}),
    ...(transcripts ? { transcripts, transcriptHotMessages: env.PARLEY_TRANSCRIPT_HOT_MESSAGES } : {}),
    ...(options.conversationRateLimit ? { conversationRateLimit: options.conversationRateLimit } : {}),
    hotCache: {
      ttlMs: env.PARLEY_HOT_CACHE_TTL_SECONDS * 1000,
      maxEntryBytes: env.PARLEY_HOT_CACHE_MAX_ENTRY_BYTES,
    },
    ...(options.ioWait ? { ioWait: options.ioWait } : {}),
    ...(logger
      ? {
          logger: {
            debug: (fields, message) => logger.debug(fields, message),
            info: (fields, message) => logger.info(fields, message),
            warn: (fields, message) => logger.warn(fields, message),
            error: (fields, message) => logger.error(fields, message),
          },
        }
      : {}),
  };
  return {
    deps,
    infra,
    http,
    models,
    close: async () => {
      await models.flushAnalytics();
      await infra.close();
      await transcripts?.close();
    },
  };
}

/** The MongoDB transcript store with its indexes created; a failure closes `infra` and names the variable. */
async function openTranscripts(url: string, db: Database, infra: Infrastructure): Promise<TranscriptStore> {
  try {
    const store = await openMongoTranscriptStore({ url, contacts: postgresContactDirectory(db) });
    await store.prepare().catch(async (error: unknown) => {
      await store.close();
      throw error;
    });
    return store;
  } catch (error) {
    await infra.close().catch(() => {});
    throw new ConfigError([
      `MONGODB_URL: cannot use MongoDB (${error instanceof Error ? error.message : String(error)})`,
    ]);
  }
}

function guardedClient(env: CoreEnv, options: CoreCompositionOptions): GuardedHttpClient {
  try {
    return createGuardedHttpClient({
      allowLoopback: options.allowLoopbackHttp ?? false,
      allowedHosts: env.PARLEY_OUTBOUND_ALLOWED_HOSTS,
      ...outboundLimits(env),
    });
  } catch (error) {
    // The environment schema checks the entries' shape; the client's exact parse (address ranges) names the variable too.
    throw new ConfigError([
      `PARLEY_OUTBOUND_ALLOWED_HOSTS: ${error instanceof Error ? error.message : error}`,
    ]);
  }
}

/** Feeds the observer's `llmCallRecorded` from the model layer's `llm.call` events. */
function llmCallObserver(observer: TurnObserver) {
  return (events: { tenantId: string; type: string; properties: Record<string, unknown> }[]) => {
    for (const event of events) {
      if (event.type !== "llm.call") continue;
      const { provider, costUsd, cacheHit } = event.properties;
      observer.llmCallRecorded?.({
        tenantId: event.tenantId,
        provider: typeof provider === "string" ? provider : "none",
        costUsd: typeof costUsd === "number" ? costUsd : 0,
        cacheHit: cacheHit === true,
      });
    }
  };
}
