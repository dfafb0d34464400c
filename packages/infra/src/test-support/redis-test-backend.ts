/**
 * Test-only helpers (not exported from the package): find out once whether Redis is reachable, give
 * each suite a unique key prefix, and delete everything under it afterwards.
 *
 * When Redis is unreachable the Redis half of a contract suite is skipped and its title says why.
 * Set `PARLEY_TEST_REQUIRE_REDIS=1` (CI does) to make an unreachable Redis fail instead.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";

/** The Redis the tests use: `REDIS_URL`, else the local default. */
export const testRedisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** Why Redis tests cannot run, or `undefined` when they can. */
export const redisUnavailableReason: string | undefined = await probe();

if (redisUnavailableReason && process.env.PARLEY_TEST_REQUIRE_REDIS === "1") {
  throw new Error(`PARLEY_TEST_REQUIRE_REDIS=1 but ${redisUnavailableReason}`);
}

/** Title for the Redis half of a contract suite, carrying the skip reason when there is one. */
export const redisSuiteTitle = redisUnavailableReason
  ? `redis (SKIPPED: ${redisUnavailableReason})`
  : "redis";

/** A fresh key prefix, unique to this call, under the `parley-test:` namespace. */
export function uniqueTestPrefix(suite: string): string {
  return `parley-test:${suite}:${randomUUID().slice(0, 8)}:`;
}

/** Deletes every key that starts with `prefix` (used in `afterAll`). */
export async function deleteKeysWithPrefix(prefix: string): Promise<number> {
  const redis = new Redis(testRedisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    await redis.quit();
  }
  return deleted;
}

/** Number of keys under `prefix`, to prove a cleanup left nothing behind. */
export async function countKeysWithPrefix(prefix: string): Promise<number> {
  const redis = new Redis(testRedisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let count = 0;
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      count += keys.length;
    } while (cursor !== "0");
    return count;
  } finally {
    await redis.quit();
  }
}

async function probe(): Promise<string | undefined> {
  const redis = new Redis(testRedisUrl, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return `Redis unreachable at ${testRedisUrl}: ${(error as Error).message}`;
  } finally {
    redis.disconnect();
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns true or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}
