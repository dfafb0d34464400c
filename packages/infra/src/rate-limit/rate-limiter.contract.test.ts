import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  deleteKeysWithPrefix,
  redisSuiteTitle,
  redisUnavailableReason,
  sleep,
  testRedisUrl,
  uniqueTestPrefix,
} from "../test-support/redis-test-backend";
import { createRateLimiter, type RateLimitStore } from "./flexible-rate-limiter";

function rateLimiterContract(store: () => RateLimitStore) {
  it("allows up to the limit, then refuses with a Retry-After inside the window", async () => {
    const limiter = createRateLimiter(store(), { name: "burst", points: 3, durationSeconds: 2 });
    const decisions = [];
    for (let i = 0; i < 4; i += 1) decisions.push(await limiter.consume("tenant-a"));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
    expect(decisions.slice(0, 3).every((d) => d.retryAfterMs === 0 && d.retryAfterSeconds === 0)).toBe(true);
    const refused = decisions[3]!;
    expect(refused.limit).toBe(3);
    expect(refused.retryAfterMs).toBeGreaterThan(1_500);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(2_000);
    expect(refused.retryAfterSeconds).toBe(2);
    expect(refused.resetAfterMs).toBe(refused.retryAfterMs);
  });

  it("counts keys separately", async () => {
    const limiter = createRateLimiter(store(), { name: "separate", points: 1, durationSeconds: 5 });
    expect((await limiter.consume("key-1")).allowed).toBe(true);
    expect((await limiter.consume("key-1")).allowed).toBe(false);
    expect((await limiter.consume("key-2")).allowed).toBe(true);
  });

  it("allows again once the window has passed", async () => {
    const limiter = createRateLimiter(store(), { name: "window", points: 1, durationSeconds: 1 });
    expect((await limiter.consume("k")).allowed).toBe(true);
    const refused = await limiter.consume("k");
    expect(refused.allowed).toBe(false);
    await sleep(refused.retryAfterMs + 50);
    expect((await limiter.consume("k")).allowed).toBe(true);
  });

  it("spends several points at once", async () => {
    const limiter = createRateLimiter(store(), { name: "weighted", points: 10, durationSeconds: 5 });
    expect(await limiter.consume("k", 7)).toMatchObject({ allowed: true, remaining: 3 });
    expect(await limiter.consume("k", 4)).toMatchObject({ allowed: false, remaining: 0 });
  });

  it("blocks for blockSeconds after the limit is exceeded", async () => {
    const limiter = createRateLimiter(store(), {
      name: "block",
      points: 1,
      durationSeconds: 1,
      blockSeconds: 3,
    });
    await limiter.consume("k");
    const refused = await limiter.consume("k");
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(2_500);
    expect(refused.retryAfterSeconds).toBe(3);
  });

  it("resets a key", async () => {
    const limiter = createRateLimiter(store(), { name: "reset", points: 1, durationSeconds: 30 });
    await limiter.consume("k");
    expect((await limiter.consume("k")).allowed).toBe(false);
    await limiter.reset("k");
    expect((await limiter.consume("k")).allowed).toBe(true);
  });

  it("refunds points within the window", async () => {
    const limiter = createRateLimiter(store(), { name: "refund", points: 2, durationSeconds: 30 });
    await limiter.consume("k");
    await limiter.consume("k");
    expect((await limiter.consume("k")).allowed).toBe(false);
    // Three spent of two: two refunds leave one spent, so one more is allowed and then none.
    await limiter.refund("k");
    await limiter.refund("k");
    expect((await limiter.consume("k")).allowed).toBe(true);
    expect((await limiter.consume("k")).allowed).toBe(false);
    await expect(limiter.refund("k", 0)).rejects.toThrow("points must be a positive integer");
  });

  it("names a bad option or argument", async () => {
    expect(() => createRateLimiter(store(), { name: "x", points: 0, durationSeconds: 1 })).toThrow(
      'rate limiter option "points"',
    );
    expect(() => createRateLimiter(store(), { name: "x", points: 1, durationSeconds: 0.5 })).toThrow(
      'rate limiter option "durationSeconds"',
    );
    expect(() => createRateLimiter(store(), { name: "has space", points: 1, durationSeconds: 1 })).toThrow(
      'rate limiter option "name"',
    );
    const limiter = createRateLimiter(store(), { name: "args", points: 1, durationSeconds: 1 });
    await expect(limiter.consume("k", 0)).rejects.toThrow("points must be a positive integer");
    await expect(limiter.consume("")).rejects.toThrow('rate limiter "args" key must be a non-empty string');
  });
}

describe("RateLimiter contract: memory", () => {
  rateLimiterContract(() => ({ kind: "memory" }));
});

describe.skipIf(redisUnavailableReason !== undefined)(`RateLimiter contract: ${redisSuiteTitle}`, () => {
  const keyPrefix = uniqueTestPrefix("rate");
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(testRedisUrl);
    // A limiter on a connection that is not ready yet uses its in-process fallback.
    await redis.ping();
  });
  rateLimiterContract(() => ({ kind: "redis", redis, keyPrefix }));

  it("shares counters between processes (separate connections)", async () => {
    const other = new Redis(testRedisUrl);
    await other.ping();
    const first = createRateLimiter(
      { kind: "redis", redis, keyPrefix },
      { name: "shared", points: 2, durationSeconds: 5 },
    );
    const second = createRateLimiter(
      { kind: "redis", redis: other, keyPrefix },
      { name: "shared", points: 2, durationSeconds: 5 },
    );
    expect((await first.consume("k")).allowed).toBe(true);
    expect((await second.consume("k")).allowed).toBe(true);
    expect((await first.consume("k")).allowed).toBe(false);
    expect(await redis.exists(`${keyPrefix}rl:shared:k`)).toBe(1);
    await other.quit();
  });

  it("falls back to in-process counting while Redis is not ready", async () => {
    const down = new Redis("redis://127.0.0.1:1", { lazyConnect: true, retryStrategy: () => null });
    down.on("error", () => {});
    const limiter = createRateLimiter(
      { kind: "redis", redis: down, keyPrefix },
      { name: "insured", points: 1, durationSeconds: 5 },
    );
    expect((await limiter.consume("k")).allowed).toBe(true);
    expect((await limiter.consume("k")).allowed).toBe(false);
    down.disconnect();
  });

  afterAll(async () => {
    await redis.quit();
    await deleteKeysWithPrefix(keyPrefix);
  });
});
