import { join, resolve } from "node:path";
import {
  CHANNEL_DELIVERY_QUEUE,
  CHANNEL_INBOUND_QUEUE,
  type CoreDeps,
  countActiveConversations,
  deliverWebhook,
  enableTimescaleIfPresent,
  enqueuePendingKnowledge,
  fireTimer,
  indexKnowledgeDocument,
  KNOWLEDGE_QUEUE,
  recoverChannelWork,
  recoverScheduledWork,
  runAnalyticsMaintenance,
  runTranscriptJob,
  serveChannelQueues,
  subscribeCoreConsumers,
  sweepTranscripts,
  TIMER_QUEUE,
  TRANSCRIPT_QUEUE,
  type TranscriptJob,
  WEBHOOK_QUEUE,
} from "@parley/core";
import { type ComposedCore, createCoreDeps } from "@parley/core/composition";
import {
  analyzeGrownTables,
  type Database,
  EMBEDDED_POOL_SIZE,
  type EmbeddedPostgres,
  lacksAutovacuum,
  type OutboxRelay,
  openDatabase,
  SchemaAheadError,
  SchemaOutdatedError,
  startEmbeddedPostgres,
  vacuumHotTables,
} from "@parley/db";
import { createKafkaSink, startTracing } from "@parley/infra";
import type { ModelEngineServices } from "@parley/models";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { RuntimeEnv } from "./env";
import { everyWithoutOverlap } from "./every-without-overlap";
import { Admission } from "./http/admission";
import { createApiLimits } from "./http/register-routes";
import { buildRuntimeServer } from "./http/server";
import { createRuntimeMetrics } from "./metrics";
import type { ReadinessCheck } from "./readiness";

/** Start-up failed for a reason an operator can fix; the message says how. */
export class StartupError extends Error {
  override readonly name = "StartupError";
}

/** A started runtime process. */
export interface RunningRuntime {
  readonly app: FastifyInstance;
  /** `http://host:port` it listens on. */
  readonly url: string;
  readonly deps: CoreDeps;
  /** The model layer (orchestrator, knowledge base, models admin) every turn's llm and knowledge nodes use. */
  readonly models: ModelEngineServices;
  /** Stops taking requests, finishes in-flight turns and jobs (up to the grace period), closes everything. */
  close(): Promise<void>;
}

/** Options of {@link startRuntime}. */
export interface StartRuntimeOptions {
  /** Listen (default true); tests may only want the app. */
  listen?: boolean;
}

async function openConfiguredDatabase(
  env: RuntimeEnv,
  logger: Logger,
): Promise<{ db: Database; embedded?: EmbeddedPostgres }> {
  if (env.DATABASE_URL)
    return {
      // Two connections of their own store webhook events: a platform's acknowledgement never waits
      // behind turns for the main pool (nor, on the embedded server, behind queued turns: they ask for
      // session priority).
      db: await openDatabase({
        url: env.DATABASE_URL,
        applicationName: "parley-runtime",
        poolSize: env.RUNTIME_DB_POOL_SIZE,
        ingestPoolSize: 2,
      }),
    };
  const embedded = await startEmbeddedPostgres({ dataDir: join(resolve(env.PARLEY_DATA_DIR), "pgdata") });
  logger.info({ url: embedded.url }, "embedded database started (DATABASE_URL is not set)");
  try {
    return {
      db: await openDatabase({
        url: embedded.url,
        poolSize: EMBEDDED_POOL_SIZE,
        // As above: the server serves these inserts before queued turns.
        ingestPoolSize: 2,
        idleInTransactionTimeoutMs: 0,
        applicationName: "parley-runtime",
      }),
      embedded,
    };
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}

async function assertMigrated(db: Database): Promise<void> {
  try {
    await db.assertSchemaCurrent();
  } catch (error) {
    if (error instanceof SchemaOutdatedError) {
      throw new StartupError(`${error.message}\n(The runtime never migrates by itself.)`);
    }
    if (error instanceof SchemaAheadError) {
      throw new StartupError(
        `${error.message}\nThis runtime is older than the database: deploy the newer version.`,
      );
    }
    throw error;
  }
}

/**
 * The runtime's composition root: opens the database (refusing a schema with pending migrations),
 * composes the application layer with core's `createCoreDeps` (infrastructure, vault, guarded HTTP
 * client, model layer), starts the job handlers (timers, webhooks), the recovery sweep and the
 * HTTP server.
 */
export async function startRuntime(
  env: RuntimeEnv,
  logger: Logger,
  options: StartRuntimeOptions = {},
): Promise<RunningRuntime> {
  // Before anything else, so start-up work is traced too; no-op spans without an endpoint.
  const tracing = env.OTEL_EXPORTER_OTLP_ENDPOINT
    ? startTracing({
        endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
        serviceName: env.OTEL_SERVICE_NAME ?? "parley-runtime",
        ...(env.PARLEY_INSTANCE_ID ? { instanceId: env.PARLEY_INSTANCE_ID } : {}),
      })
    : undefined;
  const { db, embedded } = await openConfiguredDatabase(env, logger).catch(async (error: unknown) => {
    await tracing?.shutdown();
    throw error;
  });
  let core: ComposedCore | undefined;
  let relay: OutboxRelay | undefined;
  const sweeps: NodeJS.Timeout[] = [];
  try {
    await assertMigrated(db);
    const metrics = createRuntimeMetrics({
      queueDepth: async () => {
        const depths: Record<string, number> = {};
        const queue = core?.infra.queue;
        if (!queue) return depths;
        for (const name of [
          TIMER_QUEUE,
          WEBHOOK_QUEUE,
          KNOWLEDGE_QUEUE,
          CHANNEL_INBOUND_QUEUE,
          CHANNEL_DELIVERY_QUEUE,
          TRANSCRIPT_QUEUE,
        ]) {
          const counts = await queue.counts(name);
          depths[name] = counts.waiting + counts.delayed;
        }
        return depths;
      },
      activeConversations: async () => (core ? countActiveConversations(core.deps) : 0),
      outboxLag: async () => (relay ? relay.lag() : []),
    });
    // One admission per process, shared by the API routes and core's I/O waits (see Admission). A slot
    // is also held through the turn's Redis and database round trips (lock, load, commit: ~80 ms under
    // load against 2-3 ms of CPU): with 32 slots, 500 users of a 2 s model queued ~760 ms for one.
    const admission = new Admission({
      limit: env.RUNTIME_MAX_CONCURRENT_REQUESTS ?? (embedded || !env.REDIS_URL ? 8 : 128),
      maxWaitMs: env.RUNTIME_MAX_QUEUE_MS,
      maxInFlight: env.RUNTIME_MAX_IN_FLIGHT_REQUESTS,
    });
    core = await createCoreDeps(env, {
      ioWait: (fn) => admission.duringIoWait(fn),
      db,
      withQueue: true,
      redisKeyPrefix: env.PARLEY_REDIS_PREFIX,
      allowLoopbackHttp: env.RUNTIME_ALLOW_LOOPBACK_HTTP,
      infraLogger: logger.child({ component: "infra" }),
      engineLogger: logger.child({ component: "engine" }),
      observer: metrics.observer,
      conversationRateLimit: env.RUNTIME_RATE_LIMIT_CONVERSATION,
    });
    const { deps, infra, models } = core;
    const queue = infra.queue;
    queue.process(TIMER_QUEUE, (job) => fireTimer(deps, job.data), { concurrency: 4 });
    queue.process(WEBHOOK_QUEUE, (job) => deliverWebhook(deps, job), { concurrency: 4 });
    // Knowledge documents are indexed here, off the request path (the studio and the REST API only
    // queue them). The sweep enqueues documents left pending by a process without the queue (the
    // studio in embedded mode) or by a crash between commit and enqueue.
    queue.process(KNOWLEDGE_QUEUE, (job) => indexKnowledgeDocument(deps, job), { concurrency: 2 });
    // Messaging channels: turns of stored inbound events (one thread at a time, in order) and the
    // ordered, retried delivery of replies; the sweep re-queues what a crash or the studio left.
    // A webhook's event and a turn's replies run at once in this process when it has room. The
    // embedded database is one single-threaded server behind a pool of EMBEDDED_POOL_SIZE: more
    // turns at once only queue for its connections (the webhooks' inserts, on connections of their
    // own that ask for session priority, go ahead of them).
    serveChannelQueues(deps, embedded ? { concurrency: 2, localConcurrency: 4 } : { concurrency: 16 });
    if (deps.transcripts && deps.transcripts.kind !== "postgres") {
      // MONGODB_URL: committed steps are copied to MongoDB by jobs, and the sweep copies what a job
      // missed and what changed outside turns (see docs/mongodb.md).
      queue.process<TranscriptJob>(TRANSCRIPT_QUEUE, (job) => runTranscriptJob(deps, job.data), {
        concurrency: 8,
      });
      sweeps.push(
        everyWithoutOverlap(
          TRANSCRIPT_SWEEP_MS,
          () => sweepTranscripts(deps),
          (error) => logger.warn({ err: error }, "transcript sweep failed; will retry"),
        ),
      );
    }
    await recoverScheduledWorkLogged(deps, logger);
    sweeps.push(
      setInterval(
        () =>
          void recoverChannelWork(deps).catch((error: unknown) =>
            logger.warn({ err: error }, "could not recover channel work; will retry"),
          ),
        60_000,
      ).unref(),
    );
    sweeps.push(setInterval(() => void recoverScheduledWorkLogged(deps, logger), 60_000).unref());
    await sweepPendingKnowledge(deps, logger);
    sweeps.push(
      setInterval(() => void sweepPendingKnowledge(deps, logger), env.RUNTIME_KNOWLEDGE_SWEEP_MS).unref(),
    );
    // The event stream: the outbox relay feeds core's consumers (analytics rollups) and, with
    // KAFKA_BROKERS, Kafka; one leader per cluster sequences (docs/events.md).
    relay = db.createOutboxRelay({
      idleMs: env.RUNTIME_OUTBOX_IDLE_MS,
      logger: logger.child({ component: "outbox" }),
    });
    const consumers = subscribeCoreConsumers(deps, relay);
    if (env.KAFKA_BROKERS.length > 0) relay.addSink(kafkaSinkOf(env));
    relay.start();
    if (env.RUNTIME_ANALYTICS_ROLLUP_MS > 0) {
      await enableTimescaleIfPresent(deps).then(
        (status) => status.available && logger.info({ timescale: status }, "analytics: TimescaleDB"),
        (error) => logger.warn({ err: error }, "analytics: TimescaleDB detection failed"),
      );
      sweeps.push(
        setInterval(
          () =>
            void consumers
              .runDueRollups()
              .catch((error: unknown) => logger.warn({ err: error }, "analytics rollup failed; will retry")),
          env.RUNTIME_ANALYTICS_ROLLUP_MS,
        ).unref(),
      );
      // Every tenant (core's runAnalyticsMaintenance), in embedded and server mode alike; several
      // processes may run it (the per-tenant state row serializes them).
      sweeps.push(
        everyWithoutOverlap(
          env.RUNTIME_ANALYTICS_SWEEP_MS,
          () => runAnalyticsMaintenance(deps),
          (error) => logger.warn({ err: error }, "analytics rollup failed; will retry"),
        ),
      );
    }
    if (env.RUNTIME_DB_MAINTENANCE_MINUTES > 0 && (await lacksAutovacuum(db))) {
      // VACUUM (ANALYZE) of the hot tables, off the turn path, where nothing else does it: keeps plans
      // and storage per message flat as data grows.
      sweeps.push(
        everyWithoutOverlap(
          env.RUNTIME_DB_MAINTENANCE_MINUTES * 60_000,
          async () => {
            const started = performance.now();
            const tables = await vacuumHotTables(db);
            logger.debug({ tables, ms: Math.round(performance.now() - started) }, "database maintained");
          },
          (error) => logger.warn({ err: error }, "database maintenance failed; retried next interval"),
        ),
      );
    }
    if (env.RUNTIME_DB_ANALYZE_SECONDS > 0) {
      // ANALYZE of the hot tables that grew past autovacuum's threshold, at start and then regularly
      // (@parley/db's analyzeGrownTables: plans cached while a table was empty must not outlive it).
      sweeps.push(
        everyWithoutOverlap(
          env.RUNTIME_DB_ANALYZE_SECONDS * 1000,
          async () => {
            const tables = await analyzeGrownTables(db);
            if (tables.length > 0) logger.debug({ tables }, "database tables analyzed");
          },
          (error) => logger.warn({ err: error }, "analyzing grown tables failed; retried"),
          { now: true },
        ),
      );
    }

    const checks: ReadinessCheck[] = [
      { name: "database", check: () => db.ping() },
      {
        name: "redis",
        check: async () => {
          const ping = await deps.infra.ping();
          if (!ping.ok) throw new Error(ping.error);
        },
      },
      { name: "migrations", check: () => db.assertSchemaCurrent() },
    ];
    const openInfraForLimits = infra;
    const app = buildRuntimeServer({
      readinessChecks: checks,
      deps,
      limits: createApiLimits((limiter) => openInfraForLimits.rateLimiter(limiter), {
        tenant: env.RUNTIME_RATE_LIMIT_TENANT,
        key: env.RUNTIME_RATE_LIMIT_KEY,
        publishableBot: env.RUNTIME_RATE_LIMIT_PUBLISHABLE_BOT,
        publishableClient: env.RUNTIME_RATE_LIMIT_PUBLISHABLE_CLIENT,
      }),
      trustedProxies: env.TRUSTED_PROXIES.entries,
      bodyLimit: env.RUNTIME_BODY_LIMIT,
      admission,
      logger,
      metrics,
      ...(env.PARLEY_DEMO_FILE ? { demoFile: env.PARLEY_DEMO_FILE } : {}),
      ...(env.PARLEY_RUNTIME_URL ? { runtimeUrl: env.PARLEY_RUNTIME_URL } : {}),
      ...(env.PARLEY_INSTANCE_ID ? { instanceId: env.PARLEY_INSTANCE_ID } : {}),
    });
    const address =
      options.listen === false ? "" : await app.listen({ host: env.RUNTIME_HOST, port: env.RUNTIME_PORT });
    const composed = core;
    let closing: Promise<void> | undefined;
    return {
      app,
      url: address,
      deps,
      models,
      close: () => {
        closing ??= (async () => {
          for (const sweep of sweeps) clearInterval(sweep);
          const grace = new Promise<void>((done) => setTimeout(done, env.RUNTIME_SHUTDOWN_GRACE_MS).unref());
          // Fastify stops accepting connections and waits for in-flight requests (turns) to finish.
          await Promise.race([app.close(), grace]);
          await Promise.race([relay?.stop(), grace]);
          await Promise.race([composed.close(), grace]);
          await db.close();
          await embedded?.stop();
          await tracing?.shutdown();
        })();
        return closing;
      },
    };
  } catch (error) {
    for (const sweep of sweeps) clearInterval(sweep);
    await relay?.stop().catch(() => {});
    await core?.close().catch(() => {});
    await db.close().catch(() => {});
    await embedded?.stop().catch(() => {});
    await tracing?.shutdown().catch(() => {});
    throw error;
  }
}

/** How often the MongoDB transcript sweep runs (it reads changes older than core's SWEEP_SETTLE_MS). */
const TRANSCRIPT_SWEEP_MS = 5_000;

/** The outbox relay's Kafka sink from the validated environment (KAFKA_BROKERS is set). */
function kafkaSinkOf(env: RuntimeEnv) {
  const sasl = [env.KAFKA_SASL_MECHANISM, env.KAFKA_SASL_USERNAME, env.KAFKA_SASL_PASSWORD];
  if (sasl.some((value) => value !== undefined) && !sasl.every((value) => value !== undefined)) {
    throw new StartupError(
      "KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD go together: set all three or none.",
    );
  }
  return createKafkaSink({
    brokers: env.KAFKA_BROKERS,
    clientId: env.KAFKA_CLIENT_ID,
    topicPrefix: env.KAFKA_TOPIC_PREFIX,
    ...(env.KAFKA_SSL ? { ssl: true } : {}),
    ...(env.KAFKA_SASL_MECHANISM && env.KAFKA_SASL_USERNAME && env.KAFKA_SASL_PASSWORD
      ? {
          sasl: {
            mechanism: env.KAFKA_SASL_MECHANISM,
            username: env.KAFKA_SASL_USERNAME,
            password: env.KAFKA_SASL_PASSWORD,
          } as never,
        }
      : {}),
  });
}

/** Enqueues pending knowledge documents; a failure is logged and retried at the next sweep. */
async function sweepPendingKnowledge(deps: CoreDeps, logger: Logger): Promise<void> {
  try {
    await enqueuePendingKnowledge(deps);
  } catch (error) {
    logger.warn({ err: error }, "could not enqueue pending knowledge documents; will retry");
  }
}

/** The periodic recovery sweep (see core's recoverScheduledWork); a failure only waits for the next run. */
async function recoverScheduledWorkLogged(deps: CoreDeps, logger: Logger): Promise<void> {
  try {
    await recoverScheduledWork(deps);
  } catch (error) {
    logger.warn({ err: error }, "could not recover scheduled work; will retry");
  }
}
