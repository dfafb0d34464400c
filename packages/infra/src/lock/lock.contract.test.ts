import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import {
  deleteKeysWithPrefix,
  redisSuiteTitle,
  redisUnavailableReason,
  sleep,
  testRedisUrl,
  uniqueTestPrefix,
} from "../test-support/redis-test-backend";
import { type LockManager, LockTimeoutError } from "./lock";
import { MemoryLockManager } from "./memory-lock-manager";
import { RedisLockManager } from "./redis-lock-manager";

/**
 * Opens lock managers that contend for the same keys: for Redis each one has its own connection,
 * like separate processes; in memory there is only one process, so they share one manager.
 */
type OpenManagers = (count: number) => Promise<{ managers: LockManager[]; close: () => Promise<void> }>;

function lockContract(open: OpenManagers) {
  let keyCounter = 0;
  const freshKey = () => `conversation-${++keyCounter}`;

  it("grants a free key, refuses a second holder, frees on release", async () => {
    const { managers, close } = await open(2);
    const [a, b] = managers as [LockManager, LockManager];
    const key = freshKey();
    const lock = await a.acquire(key, { ttlMs: 5_000 });
    expect(lock.key).toBe(key);
    expect(await b.tryAcquire(key)).toBeUndefined();
    expect(await lock.release()).toBe(true);
    const second = await b.tryAcquire(key);
    expect(second).toBeDefined();
    expect(await second!.release()).toBe(true);
    await close();
  });

  it("keeps critical sections strictly serial under contention", async () => {
    const { managers, close } = await open(4);
    const key = freshKey();
    let inside = 0;
    let maxInside = 0;
    let counter = 0;
    const order: number[] = [];
    const contenders = Array.from({ length: 24 }, (_, i) => i);
    await Promise.all(
      contenders.map((i) =>
        managers[i % managers.length]!.withLock(
          key,
          async () => {
            inside += 1;
            maxInside = Math.max(maxInside, inside);
            const read = counter;
            await sleep(2);
            counter = read + 1;
            order.push(i);
            inside -= 1;
          },
          { ttlMs: 5_000, waitMs: 15_000 },
        ),
      ),
    );
    expect(maxInside).toBe(1);
    expect(counter).toBe(contenders.length);
    expect([...order].sort((x, y) => x - y)).toEqual(contenders);
    await close();
  });

  it("refuses a release by a non-holder", async () => {
    const { managers, close } = await open(2);
    const [a, b] = managers as [LockManager, LockManager];
    const key = freshKey();
    const lock = await a.acquire(key, { ttlMs: 5_000 });
    expect(await b.release(key, "not-the-token")).toBe(false);
    expect(await a.release(key, "not-the-token")).toBe(false);
    expect(await b.tryAcquire(key)).toBeUndefined();
    expect(await b.release(key, lock.token)).toBe(true);
    expect(await lock.release()).toBe(false);
    await close();
  });

  it("frees an expired lease; the stale holder can neither release nor extend it", async () => {
    const { managers, close } = await open(2);
    const [a, b] = managers as [LockManager, LockManager];
    const key = freshKey();
    const stale = await a.acquire(key, { ttlMs: 100 });
    expect(await b.tryAcquire(key)).toBeUndefined();
    await sleep(160);
    expect(stale.signal.aborted).toBe(true);
    const fresh = await b.tryAcquire(key, { ttlMs: 5_000 });
    expect(fresh).toBeDefined();
    expect(fresh!.fence).toBeGreaterThan(stale.fence);
    expect(await stale.release()).toBe(false);
    expect(await stale.extend()).toBe(false);
    expect(await a.tryAcquire(key)).toBeUndefined();
    expect(await fresh!.release()).toBe(true);
    await close();
  });

  it("extends a lease so it outlives its first TTL", async () => {
    const { managers, close } = await open(2);
    const [a, b] = managers as [LockManager, LockManager];
    const key = freshKey();
    const lock = await a.acquire(key, { ttlMs: 150 });
    await sleep(80);
    expect(await lock.extend(400)).toBe(true);
    await sleep(150);
    expect(lock.signal.aborted).toBe(false);
    expect(await b.tryAcquire(key)).toBeUndefined();
    expect(await lock.release()).toBe(true);
    expect(lock.signal.aborted).toBe(true);
    await close();
  });

  it("bounds the wait for a busy key with LockTimeoutError", async () => {
    const { managers, close } = await open(2);
    const [a, b] = managers as [LockManager, LockManager];
    const key = freshKey();
    const lock = await a.acquire(key, { ttlMs: 5_000 });
    const started = Date.now();
    const error = await b.acquire(key, { waitMs: 120 }).catch((e: unknown) => e);
    const waited = Date.now() - started;
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect((error as LockTimeoutError).code).toBe("LOCK_TIMEOUT");
    expect((error as Error).message).toContain(key);
    expect(waited).toBeGreaterThanOrEqual(100);
    expect(waited).toBeLessThan(1_000);
    await lock.release();
    await close();
  });

  it("hands a released key to a waiter promptly", async () => {
    const { managers, close } = await open(2);
    const [a, b] = managers as [LockManager, LockManager];
    const key = freshKey();
    const lock = await a.acquire(key, { ttlMs: 10_000 });
    const waiting = b.acquire(key, { waitMs: 5_000 });
    await sleep(300);
    const releasedAt = Date.now();
    await lock.release();
    const next = await waiting;
    expect(Date.now() - releasedAt).toBeLessThan(150);
    expect(next.fence).toBeGreaterThan(lock.fence);
    await next.release();
    await close();
  });

  it("issues strictly increasing fences per key", async () => {
    const { managers, close } = await open(2);
    const key = freshKey();
    const fences: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const lock = await managers[i % 2]!.acquire(key);
      fences.push(lock.fence);
      await lock.release();
    }
    for (let i = 1; i < fences.length; i += 1) expect(fences[i]!).toBeGreaterThan(fences[i - 1]!);
    expect(fences.every(Number.isSafeInteger)).toBe(true);
    await close();
  });

  it("withLock returns fn's value, releases after a throw, and keeps the lease alive", async () => {
    const { managers, close } = await open(2);
    const [a, b] = managers as [LockManager, LockManager];
    const key = freshKey();
    expect(await a.withLock(key, async (lock) => lock.key.length)).toBe(key.length);
    await expect(
      a.withLock(key, async () => {
        throw new Error("turn failed");
      }),
    ).rejects.toThrow("turn failed");
    const afterThrow = await b.tryAcquire(key);
    expect(afterThrow).toBeDefined();
    await afterThrow!.release();

    const other = freshKey();
    let stolen: unknown = "not tried";
    let abortedInside = true;
    await a.withLock(
      other,
      async (lock) => {
        await sleep(400);
        stolen = await b.tryAcquire(other);
        abortedInside = lock.signal.aborted;
      },
      { ttlMs: 150 },
    );
    expect(stolen).toBeUndefined();
    expect(abortedInside).toBe(false);
    await close();
  });

  it("rejects bad input with clear errors", async () => {
    const { managers, close } = await open(1);
    const [a] = managers as [LockManager];
    await expect(a.acquire("")).rejects.toThrow("lock key must be a non-empty string");
    await expect(a.acquire("k", { ttlMs: 0 })).rejects.toThrow("lock ttlMs must be a positive integer");
    await expect(a.acquire("k", { waitMs: -1 })).rejects.toThrow("lock waitMs must be an integer >= 0");
    await close();
  });
}

describe("Lock contract: memory", () => {
  lockContract(async () => {
    const manager = new MemoryLockManager();
    return { managers: [manager, manager, manager, manager], close: () => manager.close() };
  });

  it("serves waiters in one process in arrival order", async () => {
    const manager = new MemoryLockManager();
    const first = await manager.acquire("fifo");
    const served: number[] = [];
    const waiters = [1, 2, 3, 4, 5].map((i) =>
      manager.acquire("fifo").then(async (lock) => {
        served.push(i);
        await lock.release();
      }),
    );
    await first.release();
    await Promise.all(waiters);
    expect(served).toEqual([1, 2, 3, 4, 5]);
    await manager.close();
  });
});

describe.skipIf(redisUnavailableReason !== undefined)(`Lock contract: ${redisSuiteTitle}`, () => {
  const prefix = uniqueTestPrefix("lock");
  lockContract(async (count) => {
    const clients = Array.from({ length: count }, () => new Redis(testRedisUrl));
    const managers = clients.map((client) => new RedisLockManager(client, prefix));
    return {
      managers,
      close: async () => {
        await Promise.all(managers.map((m) => m.close()));
        await Promise.all(clients.map((c) => c.quit()));
      },
    };
  });

  it("serves waiters in one process in arrival order", async () => {
    const client = new Redis(testRedisUrl);
    const manager = new RedisLockManager(client, prefix);
    const first = await manager.acquire("fifo");
    const served: number[] = [];
    const waiters = [1, 2, 3, 4, 5].map((i) =>
      manager.acquire("fifo").then(async (lock) => {
        served.push(i);
        await lock.release();
      }),
    );
    await first.release();
    await Promise.all(waiters);
    expect(served).toEqual([1, 2, 3, 4, 5]);
    await manager.close();
    await client.quit();
  });

  it("leaves only short-lived fence keys behind after release", async () => {
    const client = new Redis(testRedisUrl);
    const manager = new RedisLockManager(client, prefix);
    const lock = await manager.acquire("footprint");
    await lock.release();
    expect(await client.exists(`${prefix}lock:{footprint}`)).toBe(0);
    const fenceTtl = await client.pttl(`${prefix}lock:{footprint}:fence`);
    expect(fenceTtl).toBeGreaterThan(0);
    expect(fenceTtl).toBeLessThanOrEqual(60_000);
    await manager.close();
    await client.quit();
  });

  afterAll(() => deleteKeysWithPrefix(prefix));
});
