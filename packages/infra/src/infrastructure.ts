import path from "node:path";
import type { Redis } from "ioredis";
import { z } from "zod";
import type { Cache } from "./cache/cache";
import { MemoryCache } from "./cache/memory-cache";
import { RedisCache } from "./cache/redis-cache";
import { InfraError } from "./internal/infra-error";
import { keyPrefixSchema } from "./internal/keys";
import { describeError, type InfraLogger, stderrLogger } from "./internal/logger";
import { withTimeout } from "./internal/with-timeout";
import type { LockManager } from "./lock/lock";
import { MemoryLockManager } from "./lock/memory-lock-manager";
import { RedisLockManager } from "./lock/redis-lock-manager";
import { MemoryPubSub } from "./pubsub/memory-pubsub";
import type { PubSub } from "./pubsub/pubsub";
import { RedisPubSub } from "./pubsub/redis-pubsub";
import { BullMqJobQueue } from "./queue/bullmq/bullmq-job-queue";
import { EmbeddedJobQueue } from "./queue/embedded/embedded-job-queue";
import type { JobQueue } from "./queue/job-queue";
import {
  type AttemptBackoff,
  type AttemptBackoffOptions,
  createAttemptBackoff,
} from "./rate-limit/attempt-backoff";
import { createRateLimiter } from "./rate-limit/flexible-rate-limiter";
import type { RateLimiter, RateLimiterOptions } from "./rate-limit/rate-limiter";
import { closeRedis, connectRedis } from "./redis/redis-client";

/** Options for {@link createInfrastructure}. */
export const infrastructureOptionsSchema = z.object({
  /** `REDIS_URL`: set for cluster mode (Redis + BullMQ); unset for embedded mode (in-process). */
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\/.+/, "must be a redis:// or rediss:// URL")
    .optional(),
  /** The data directory (`PARLEY_DATA_DIR`); embedded mode keeps the job journal in `<dataDir>/queue`. */
  dataDir: z.string().min(1, "must not be empty"),
  /** Prefix of every Redis key, so deployments and test runs can share a Redis. Default `parley:`. */
  keyPrefix: keyPrefixSchema.default("parley:"),
  /**
   * Whether this process owns the job queue. In embedded mode only one process may (the journal
   * has a single writer); pass `false` in other processes. Default `true`.
   */
  withQueue: z.boolean().default(true),
});

/** Options for {@link createInfrastructure}, plus the logger (a pino logger fits). */
export type InfrastructureOptions = z.input<typeof infrastructureOptionsSchema> & { logger?: InfraLogger };

/** What {@link Infrastructure.ping} reports (for `/ready`). */
export type PingResult = { ok: true; latencyMs: number } | { ok: false; error: string };

/** The infrastructure one process uses; same interfaces in both modes. */
export interface Infrastructure {
  /** `redis` (cluster mode) or `embedded` (in-process, single process). */
  readonly mode: "redis" | "embedded";
  readonly cache: Cache;
  readonly locks: LockManager;
  /**
   * The job queue.
   * @throws InfraError `NO_QUEUE` when created with `withQueue: false`
   */
  readonly queue: JobQueue;
  /** Messages between processes (Redis pub/sub; in-process in embedded mode). */
  readonly pubsub: PubSub;
  /** A rate limiter with its own counters (one per limit: per tenant, per API key, ...). */
  rateLimiter(options: RateLimiterOptions): RateLimiter;
  /** An exponential backoff of attempts per key (sign-in), with its own counters. */
  attemptBackoff(options: AttemptBackoffOptions): AttemptBackoff;
  /** Checks that the backing services answer (Redis PING within 1 s); never throws. */
  ping(): Promise<PingResult>;
  /** Waits for running jobs, then closes the queue, locks and connections. */
  close(): Promise<void>;
}

/**
 * Builds the infrastructure for this process: Redis-backed when `redisUrl` is set, in-process
 * otherwise.
 * @throws InfraError `INVALID_OPTIONS` naming the bad option, `REDIS_UNREACHABLE` (redacted URL),
 *   `QUEUE_DIR_IN_USE` or `QUEUE_DATA_CORRUPT` (embedded queue)
 */
export async function createInfrastructure(options: InfrastructureOptions): Promise<Infrastructure> {
  const parsed = infrastructureOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InfraError(
      "INVALID_OPTIONS",
      `infrastructure option "${issue.path.join(".")}" ${issue.message}`,
    );
  }
  const { redisUrl, dataDir, keyPrefix, withQueue } = parsed.data;
  const logger = options.logger ?? stderrLogger;
  return redisUrl
    ? createRedisInfrastructure(redisUrl, keyPrefix, withQueue, logger)
    : createEmbeddedInfrastructure(dataDir, withQueue, logger);
}

async function createEmbeddedInfrastructure(
  dataDir: string,
  withQueue: boolean,
  logger: InfraLogger,
): Promise<Infrastructure> {
  const cache = new MemoryCache();
  const locks = new MemoryLockManager();
  const pubsub = new MemoryPubSub();
  const queue = withQueue
    ? await EmbeddedJobQueue.open({ dir: path.join(dataDir, "queue"), logger })
    : undefined;
  return {
    mode: "embedded",
    cache,
    locks,
    pubsub,
    get queue() {
      return queue ?? noQueue();
    },
    rateLimiter: (limiterOptions) => createRateLimiter({ kind: "memory" }, limiterOptions),
    attemptBackoff: (backoffOptions) => createAttemptBackoff({ kind: "memory" }, backoffOptions),
    ping: async () => ({ ok: true, latencyMs: 0 }),
    close: async () => {
      await queue?.close();
      await locks.close();
      await pubsub.close();
      cache.close();
    },
  };
}

async function createRedisInfrastructure(
  redisUrl: string,
  keyPrefix: string,
  withQueue: boolean,
  logger: InfraLogger,
): Promise<Infrastructure> {
  const commands = await connectRedis(redisUrl, "commands", "parley-commands");
  let queueConnection: Redis | undefined;
  try {
    queueConnection = withQueue ? await connectRedis(redisUrl, "queue", "parley-queue") : undefined;
  } catch (error) {
    await closeRedis(commands);
    throw error;
  }
  const locks = new RedisLockManager(commands, keyPrefix);
  const pubsub = new RedisPubSub(commands, () => commands.duplicate(), keyPrefix);
  const queue = queueConnection && new BullMqJobQueue({ connection: queueConnection, keyPrefix, logger });
  return {
    mode: "redis",
    cache: new RedisCache(commands, keyPrefix),
    locks,
    pubsub,
    get queue() {
      return queue ?? noQueue();
    },
    rateLimiter: (limiterOptions) =>
      createRateLimiter({ kind: "redis", redis: commands, keyPrefix }, limiterOptions),
    attemptBackoff: (backoffOptions) =>
      createAttemptBackoff({ kind: "redis", redis: commands, keyPrefix }, backoffOptions),
    ping: async () => {
      const started = performance.now();
      try {
        await withTimeout(commands.ping(), 1_000);
        return { ok: true, latencyMs: Math.round((performance.now() - started) * 100) / 100 };
      } catch (error) {
        return { ok: false, error: `Redis did not answer PING: ${describeError(error)}` };
      }
    },
    close: async () => {
      await queue?.close();
      await locks.close();
      await pubsub.close();
      if (queueConnection) await closeRedis(queueConnection);
      await closeRedis(commands);
    },
  };
}

function noQueue(): never {
  throw new InfraError("NO_QUEUE", "this process was created with withQueue: false and has no job queue");
}
