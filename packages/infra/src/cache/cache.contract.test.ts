import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  countKeysWithPrefix,
  deleteKeysWithPrefix,
  redisSuiteTitle,
  redisUnavailableReason,
  sleep,
  testRedisUrl,
  uniqueTestPrefix,
} from "../test-support/redis-test-backend";
import type { Cache } from "./cache";
import { MemoryCache } from "./memory-cache";
import { RedisCache } from "./redis-cache";

/** The behaviour every Cache must have; run once per implementation below. */
function cacheContract(open: () => Promise<{ cache: Cache; close: () => Promise<void> }>) {
  let cache: Cache;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ cache, close } = await open());
  });
  afterAll(() => close());

  it("round-trips JSON values and returns copies", async () => {
    const value = { name: "Ada", tags: ["a", "b"], nested: { n: 1.5, ok: true, none: null } };
    await cache.set("json", value);
    const read = await cache.get<typeof value>("json");
    expect(read).toEqual(value);
    read!.tags.push("mutated");
    expect(await cache.get("json")).toEqual(value);
    await cache.set("date", { at: new Date("2024-01-02T03:04:05.000Z") });
    expect(await cache.get("date")).toEqual({ at: "2024-01-02T03:04:05.000Z" });
    await cache.set("falsy", 0);
    expect(await cache.get("falsy")).toBe(0);
  });

  it("returns undefined for a missing key", async () => {
    expect(await cache.get("never-set")).toBeUndefined();
  });

  it("expires entries after their TTL", async () => {
    await cache.set("short", "soon gone", { ttlMs: 80 });
    await cache.set("long", "still here", { ttlMs: 10_000 });
    expect(await cache.get("short")).toBe("soon gone");
    await sleep(150);
    expect(await cache.get("short")).toBeUndefined();
    expect(await cache.get("long")).toBe("still here");
  });

  it("keeps no value bigger than maxBytes, and drops what the key held before", async () => {
    await cache.set("bounded", "small", { maxBytes: 100 });
    expect(await cache.get("bounded")).toBe("small");
    await cache.set("bounded", "x".repeat(200), { maxBytes: 100 });
    expect(await cache.get("bounded")).toBeUndefined();
    // The bound counts the JSON text's bytes (a 2-byte character counts twice).
    await cache.set("bounded", "é".repeat(45), { maxBytes: 100 });
    expect(await cache.get("bounded")).toBe("é".repeat(45));
    await cache.set("bounded", "é".repeat(50), { maxBytes: 100 });
    expect(await cache.get("bounded")).toBeUndefined();
  });

  it("overwrites a value and its TTL", async () => {
    await cache.set("over", 1, { ttlMs: 80 });
    await cache.set("over", 2);
    await sleep(150);
    expect(await cache.get("over")).toBe(2);
  });

  it("deletes and reports whether something was removed", async () => {
    await cache.set("del", "x");
    expect(await cache.delete("del")).toBe(true);
    expect(await cache.get("del")).toBeUndefined();
    expect(await cache.delete("del")).toBe(false);
  });

  it("getOrSet loads once, caches, and shares a load between concurrent callers", async () => {
    let loads = 0;
    const load = async () => {
      loads += 1;
      await sleep(30);
      return { loaded: loads };
    };
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map(() => cache.getOrSet("gos", load, { ttlMs: 5_000 })),
    );
    expect(results).toEqual(Array(5).fill({ loaded: 1 }));
    expect(await cache.getOrSet("gos", load)).toEqual({ loaded: 1 });
    expect(loads).toBe(1);
  });

  it("getOrSet honours the TTL and does not cache failures or undefined", async () => {
    let loads = 0;
    await cache.getOrSet("gos-ttl", async () => ++loads, { ttlMs: 60 });
    await sleep(120);
    expect(await cache.getOrSet("gos-ttl", async () => ++loads)).toBe(2);

    await expect(
      cache.getOrSet("gos-fail", async () => Promise.reject(new Error("db down"))),
    ).rejects.toThrow("db down");
    expect(await cache.getOrSet("gos-fail", async () => "recovered")).toBe("recovered");

    expect(await cache.getOrSet("gos-undef", async () => undefined)).toBeUndefined();
    expect(await cache.get("gos-undef")).toBeUndefined();
  });

  it("rejects bad input with errors that say what is wrong", async () => {
    await expect(cache.set("", 1)).rejects.toThrow("cache key must be a non-empty string");
    await expect(cache.set("k", undefined)).rejects.toThrow(
      'cache value for key "k" must be JSON-serializable',
    );
    await expect(cache.set("k", 1n)).rejects.toThrow("must be JSON-serializable");
    await expect(cache.set("k", 1, { ttlMs: -5 })).rejects.toThrow("cache ttlMs must be a positive integer");
    await expect(cache.set("k", 1, { ttlMs: 1.5 })).rejects.toThrow("cache ttlMs");
  });
}

describe("Cache contract: memory", () => {
  cacheContract(async () => {
    const cache = new MemoryCache();
    return { cache, close: async () => cache.close() };
  });

  it("evicts the least recently written entry beyond maxEntries", async () => {
    const cache = new MemoryCache({ maxEntries: 2 });
    await cache.set("a", 1);
    await cache.set("b", 2);
    await cache.set("a", 3);
    await cache.set("c", 4);
    expect(await cache.get("b")).toBeUndefined();
    expect(await cache.get("a")).toBe(3);
    expect(await cache.get("c")).toBe(4);
    cache.close();
  });
});

describe.skipIf(redisUnavailableReason !== undefined)(`Cache contract: ${redisSuiteTitle}`, () => {
  const prefix = uniqueTestPrefix("cache");
  cacheContract(async () => {
    const redis = new Redis(testRedisUrl);
    return { cache: new RedisCache(redis, prefix), close: async () => void (await redis.quit()) };
  });

  it("stores keys under the prefix only, with a Redis TTL", async () => {
    const redis = new Redis(testRedisUrl);
    const cache = new RedisCache(redis, prefix);
    await cache.set("ttl-check", 1, { ttlMs: 5_000 });
    const ttl = await redis.pttl(`${prefix}cache:ttl-check`);
    expect(ttl).toBeGreaterThan(4_000);
    expect(ttl).toBeLessThanOrEqual(5_000);
    await redis.quit();
  });

  afterAll(async () => {
    await deleteKeysWithPrefix(prefix);
    expect(await countKeysWithPrefix(prefix)).toBe(0);
  });
});
