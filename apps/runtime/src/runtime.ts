import { join, resolve } from "node:path";
import {
  type CoreDeps,
  deliverWebhook,
  enqueuePendingKnowledge,
  enqueueWebhookDeliveries,
  fireTimer,
  indexKnowledgeDocument,
  KNOWLEDGE_QUEUE,
  TIMER_QUEUE,
  WEBHOOK_QUEUE,
} from "@parley/core";
import {
  type Database,
  EMBEDDED_POOL_SIZE,
  type EmbeddedPostgres,
  openDatabase,
  SchemaAheadError,
  SchemaOutdatedError,
  startEmbeddedPostgres,
} from "@parley/db";
import {
  createGuardedHttpClient,
  createInfrastructure,
  createVault,
  type Infrastructure,
  loadOrCreateEmbeddedKey,
  mailerFor,
  parseKeyring,
} from "@parley/infra";
import { createModelEnginePorts, type ModelEngineServices } from "@parley/models";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { RuntimeEnv } from "./env";
import { createRuntimeMetrics } from "./metrics";
import type { ReadinessCheck } from "./readiness";
import { buildRuntimeServer } from "./server";

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
    return { db: await openDatabase({ url: env.DATABASE_URL, applicationName: "parley-runtime" }) };
  const embedded = await startEmbeddedPostgres({ dataDir: join(resolve(env.PARLEY_DATA_DIR), "pgdata") });
  logger.info({ url: embedded.url }, "embedded database started (DATABASE_URL is not set)");
  try {
    return {
      db: await openDatabase({
        url: embedded.url,
        poolSize: EMBEDDED_POOL_SIZE,
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
 * Opens the database (refusing a schema with pending migrations), the infrastructure (Redis or
 * in-process), the vault, the guarded HTTP client and the model layer (llm and knowledge nodes
 * through the tenant's routes and knowledge base); starts the job handlers (timers, webhooks)
 * and the HTTP server.
 */
export async function startRuntime(
  env: RuntimeEnv,
  logger: Logger,
  options: StartRuntimeOptions = {},
): Promise<RunningRuntime> {
  const { db, embedded } = await openConfiguredDatabase(env, logger);
  let infra: Infrastructure | undefined;
  const sweeps: NodeJS.Timeout[] = [];
  try {
    await assertMigrated(db);
    const dataDir = resolve(env.PARLEY_DATA_DIR);
    const secretKey = env.PARLEY_SECRET_KEY ?? (await loadOrCreateEmbeddedKey(dataDir)).secretKey;
    const vault = createVault(parseKeyring(secretKey));
    infra = await createInfrastructure({
      dataDir,
      keyPrefix: env.PARLEY_REDIS_PREFIX,
      ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
      logger: logger.child({ component: "infra" }),
    });
    const queue = infra.queue;
    const metrics = createRuntimeMetrics({
      queueDepth: async () => {
        const depths: Record<string, number> = {};
        for (const name of [TIMER_QUEUE, WEBHOOK_QUEUE, KNOWLEDGE_QUEUE]) {
          const counts = await queue.counts(name);
          depths[name] = counts.waiting + counts.delayed;
        }
        return depths;
      },
      activeConversations: () =>
        db.system.conversation.count({
          where: {
            status: { in: ["waiting", "handoff"] },
            lastActivityAt: { gt: new Date(Date.now() - 30 * 60_000) },
          },
        }),
    });
    const engineLogger = logger.child({ component: "engine" });
    const http = createGuardedHttpClient({ allowLoopback: env.RUNTIME_ALLOW_LOOPBACK_HTTP });
    // One model layer per process: SDK clients, breakers, latency averages and cached tenant
    // configurations outlive turns; studio edits reach it within the configuration cache's TTL.
    const models = createModelEnginePorts({ db, vault, cache: infra.cache, http });
    const deps: CoreDeps = {
      db,
      infra,
      vault,
      http,
      enginePorts: models.enginePorts,
      models,
      observer: metrics.observer,
      conversationRateLimit: env.RUNTIME_RATE_LIMIT_CONVERSATION,
      mailer: mailerFor(env.SMTP_URL, env.MAIL_FROM),
      studioUrl: env.PARLEY_STUDIO_URL,
      logger: {
        debug: (fields, message) => engineLogger.debug(fields, message),
        info: (fields, message) => engineLogger.info(fields, message),
        warn: (fields, message) => engineLogger.warn(fields, message),
        error: (fields, message) => engineLogger.error(fields, message),
      },
    };
    queue.process(TIMER_QUEUE, (job) => fireTimer(deps, job.data), { concurrency: 4 });
    queue.process(WEBHOOK_QUEUE, (job) => deliverWebhook(deps, job), { concurrency: 4 });
    // Knowledge documents are indexed here, off the request path (the studio and the REST API only
    // queue them). The sweep enqueues documents left pending by a process without the queue (the
    // studio in embedded mode) or by a crash between commit and enqueue.
    queue.process(KNOWLEDGE_QUEUE, (job) => indexKnowledgeDocument(deps, job), { concurrency: 2 });
    await recoverScheduledWork(deps, logger);
    sweeps.push(setInterval(() => void recoverScheduledWork(deps, logger), 60_000).unref());
    await sweepPendingKnowledge(deps, logger);
    sweeps.push(
      setInterval(() => void sweepPendingKnowledge(deps, logger), env.RUNTIME_KNOWLEDGE_SWEEP_MS).unref(),
    );

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
    const app = buildRuntimeServer({
      readinessChecks: checks,
      deps,
      limits: {
        tenant: infra.rateLimiter({
          name: "tenant",
          points: env.RUNTIME_RATE_LIMIT_TENANT,
          durationSeconds: 60,
        }),
        key: infra.rateLimiter({ name: "api-key", points: env.RUNTIME_RATE_LIMIT_KEY, durationSeconds: 60 }),
      },
      bodyLimit: env.RUNTIME_BODY_LIMIT,
      maxConcurrentRequests: env.RUNTIME_MAX_CONCURRENT_REQUESTS ?? (embedded || !env.REDIS_URL ? 8 : 32),
      maxQueueMs: env.RUNTIME_MAX_QUEUE_MS,
      logger,
      metrics,
      ...(env.PARLEY_DEMO_FILE ? { demoFile: env.PARLEY_DEMO_FILE } : {}),
      ...(env.PARLEY_RUNTIME_URL ? { runtimeUrl: env.PARLEY_RUNTIME_URL } : {}),
    });
    const address =
      options.listen === false ? "" : await app.listen({ host: env.RUNTIME_HOST, port: env.RUNTIME_PORT });
    const openInfra = infra;
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
          await Promise.race([openInfra.close(), grace]);
          await db.close();
          await embedded?.stop();
        })();
        return closing;
      },
    };
  } catch (error) {
    for (const sweep of sweeps) clearInterval(sweep);
    await infra?.close().catch(() => {});
    await db.close().catch(() => {});
    await embedded?.stop().catch(() => {});
    throw error;
  }
}

/** Enqueues pending knowledge documents; a failure is logged and retried at the next sweep. */
async function sweepPendingKnowledge(deps: CoreDeps, logger: Logger): Promise<void> {
  try {
    await enqueuePendingKnowledge(deps);
  } catch (error) {
    logger.warn({ err: error }, "could not enqueue pending knowledge documents; will retry");
  }
}

/**
 * Re-enqueues work that was committed but whose job may never have been added (a crash between
 * commit and enqueue): pending webhook deliveries and wait-node timers. Job ids make it idempotent.
 */
async function recoverScheduledWork(deps: CoreDeps, logger: Logger): Promise<void> {
  try {
    const pending = await deps.db.system.webhookDelivery.findMany({
      where: { status: "pending", createdAt: { lt: new Date(Date.now() - 30_000) }, attempts: 0 },
      select: { id: true, tenantId: true },
      take: 500,
    });
    for (const delivery of pending) await enqueueWebhookDeliveries(deps, delivery.tenantId, [delivery.id]);
    const timers = await deps.db.system.$queryRaw<
      { id: string; tenant_id: string; timer_id: string; due_at: number }[]
    >`
      SELECT id, tenant_id, snapshot->'context'->'rt'->'timer'->>'id' AS timer_id,
             (snapshot->'context'->'rt'->'timer'->>'dueAt')::float8 AS due_at
      FROM conversations
      WHERE status = 'waiting' AND snapshot->'context'->'rt'->'timer' IS NOT NULL
      LIMIT 1000`;
    for (const timer of timers) {
      await deps.infra.queue.add(
        TIMER_QUEUE,
        { tenantId: timer.tenant_id, conversationId: timer.id, timerId: timer.timer_id },
        {
          jobId: `timer:${timer.id}:${timer.timer_id.replace(/[^A-Za-z0-9_.:@-]/g, "_")}`,
          delayMs: Math.max(0, Math.round(timer.due_at - Date.now())),
          attempts: 5,
        },
      );
    }
  } catch (error) {
    logger.warn({ err: error }, "could not recover scheduled work; will retry");
  }
}
