import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  deleteKeysWithPrefix,
  redisSuiteTitle,
  redisUnavailableReason,
  testRedisUrl,
  uniqueTestPrefix,
} from "../test-support/redis-test-backend";
import { backoffDelaySeconds, createAttemptBackoff } from "./attempt-backoff";
import type { RateLimitStore } from "./flexible-rate-limiter";

const options = { freeAttempts: 3, baseDelaySeconds: 1, maxDelaySeconds: 8, lifetimeSeconds: 3_600 };

describe("backoffDelaySeconds", () => {
  it("doubles from the base up to the cap", () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 30].map((n) =>
      backoffDelaySeconds({ baseDelaySeconds: 1, maxDelaySeconds: 900 }, n),
    );
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 900]);
  });
});

describe("AttemptBackoff: memory, on a moved clock", () => {
  afterEach(() => vi.useRealTimers());

  it("lets the free attempts pass, then one per doubling wait, and forgets after a reset", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-12-07T10:00:00Z") });
    const backoff = createAttemptBackoff({ kind: "memory" }, { name: "clocked", ...options });
    for (let i = 0; i < 3; i += 1) expect((await backoff.attempt("k")).allowed).toBe(true);
    const waits: number[] = [];
    for (const expected of [1, 2, 4, 8, 8]) {
      const refused = await backoff.attempt("k");
      if (refused.allowed) throw new Error("expected a refusal");
      waits.push(refused.retryAfterSeconds);
      vi.setSystemTime(Date.now() + refused.retryAfterMs);
      expect((await backoff.attempt("k")).allowed, `after ${expected} s`).toBe(true);
    }
    expect(waits).toEqual([1, 2, 4, 8, 8]);
    // Other keys are unaffected; a reset frees the key.
    expect((await backoff.attempt("other")).allowed).toBe(true);
    await backoff.reset("k");
    for (let i = 0; i < 3; i += 1) expect((await backoff.attempt("k")).allowed).toBe(true);
  });

  it("lets exactly one of concurrent attempts through once a wait is over", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-12-07T10:00:00Z") });
    const backoff = createAttemptBackoff({ kind: "memory" }, { name: "concurrent", ...options });
    for (let i = 0; i < 3; i += 1) await backoff.attempt("k");
    vi.setSystemTime(Date.now() + 1_000);
    const decisions = await Promise.all(Array.from({ length: 10 }, () => backoff.attempt("k")));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(1);
  });

  it("takes back a refunded attempt", async () => {
    const backoff = createAttemptBackoff({ kind: "memory" }, { name: "refund", ...options });
    for (let i = 0; i < 10; i += 1) {
      const decision = await backoff.attempt("k");
      if (!decision.allowed) throw new Error(`attempt ${i} refused`);
      await decision.refund();
    }
  });

  it("names a bad option", () => {
    expect(() =>
      createAttemptBackoff({ kind: "memory" }, { ...options, name: "x", freeAttempts: 0 }),
    ).toThrow('attempt backoff option "freeAttempts"');
  });
});

describe.skipIf(redisUnavailableReason !== undefined)(`AttemptBackoff: ${redisSuiteTitle}`, () => {
  const keyPrefix = uniqueTestPrefix("backoff");
  let redis: Redis;
  let other: Redis;
  beforeAll(async () => {
    redis = new Redis(testRedisUrl);
    other = new Redis(testRedisUrl);
    await Promise.all([redis.ping(), other.ping()]);
  });
  afterAll(async () => {
    await deleteKeysWithPrefix(keyPrefix);
    await Promise.all([redis.quit(), other.quit()]);
  });

  it("shares attempts between processes (separate connections)", async () => {
    const store = (client: Redis): RateLimitStore => ({ kind: "redis", redis: client, keyPrefix });
    const first = createAttemptBackoff(store(redis), { name: "shared", ...options });
    const second = createAttemptBackoff(store(other), { name: "shared", ...options });
    expect((await first.attempt("k")).allowed).toBe(true);
    expect((await second.attempt("k")).allowed).toBe(true);
    expect((await first.attempt("k")).allowed).toBe(true);
    const refused = await second.attempt("k");
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    await second.reset("k");
    expect((await first.attempt("k")).allowed).toBe(true);
  });
});
