import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInfrastructure, type Infrastructure, silentLogger } from "./index";
import {
  countKeysWithPrefix,
  deleteKeysWithPrefix,
  redisSuiteTitle,
  redisUnavailableReason,
  testRedisUrl,
  uniqueTestPrefix,
  waitFor,
} from "./test-support/redis-test-backend";

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "parley-infra-"));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

/** Uses every part once through the factory's result. */
async function exercise(infra: Infrastructure) {
  await infra.cache.set("greeting", { text: "hi" }, { ttlMs: 10_000 });
  expect(await infra.cache.get("greeting")).toEqual({ text: "hi" });
  const order: number[] = [];
  await Promise.all(
    [1, 2, 3].map((n) => infra.locks.withLock("conversation:c1", async () => void order.push(n))),
  );
  expect(order.sort()).toEqual([1, 2, 3]);
  const limiter = infra.rateLimiter({ name: "tenant", points: 1, durationSeconds: 10 });
  expect((await limiter.consume("t1")).allowed).toBe(true);
  expect(await limiter.consume("t1")).toMatchObject({ allowed: false, retryAfterSeconds: 10 });
  const ran: unknown[] = [];
  infra.queue.process("deliveries", async (job) => void ran.push(job.data));
  await infra.queue.add("deliveries", { to: "slack" });
  await waitFor(() => ran.length === 1, "the job");
  expect(await infra.ping()).toMatchObject({ ok: true });
}

describe("createInfrastructure: embedded", () => {
  it("builds in-process parts and keeps the queue under <dataDir>/queue", async () => {
    const infra = await createInfrastructure({ dataDir, logger: silentLogger });
    expect(infra.mode).toBe("embedded");
    await exercise(infra);
    await infra.queue.add("timers", { wake: 1 }, { delayMs: 60_000, jobId: "timer:1" });
    await infra.close();

    const reopened = await createInfrastructure({ dataDir, logger: silentLogger });
    expect(await reopened.queue.getJob("timers", "timer:1")).toMatchObject({ state: "delayed" });
    await reopened.close();
  });

  it("lets a second process run without the queue", async () => {
    const owner = await createInfrastructure({ dataDir, logger: silentLogger });
    await expect(createInfrastructure({ dataDir, logger: silentLogger })).rejects.toMatchObject({
      code: "QUEUE_DIR_IN_USE",
    });
    const other = await createInfrastructure({ dataDir, withQueue: false, logger: silentLogger });
    expect(() => other.queue).toThrow("withQueue: false");
    await other.close();
    await owner.close();
  });

  it("names a bad option", async () => {
    await expect(createInfrastructure({ dataDir: "" })).rejects.toThrow(
      'infrastructure option "dataDir" must not be empty',
    );
    await expect(createInfrastructure({ dataDir, redisUrl: "http://x" })).rejects.toThrow(
      'infrastructure option "redisUrl" must be a redis:// or rediss:// URL',
    );
    await expect(createInfrastructure({ dataDir, keyPrefix: "bad prefix" })).rejects.toThrow(
      'infrastructure option "keyPrefix"',
    );
  });
});

describe("createInfrastructure: unreachable Redis", () => {
  it("fails start-up with the redacted URL", async () => {
    const error = (await createInfrastructure({
      dataDir,
      redisUrl: "redis://user:hunter2@127.0.0.1:1/0",
    }).then(
      () => undefined,
      (e: unknown) => e,
    )) as Error & { code: string };
    expect(error.code).toBe("REDIS_UNREACHABLE");
    expect(error.message).toContain("Redis at redis://user:***@127.0.0.1:1/0 (REDIS_URL) is unreachable");
    expect(error.message).not.toContain("hunter2");
  });
});

describe.skipIf(redisUnavailableReason !== undefined)(`createInfrastructure: ${redisSuiteTitle}`, () => {
  const keyPrefix = uniqueTestPrefix("infra");

  it("builds Redis/BullMQ parts under the key prefix", async () => {
    const infra = await createInfrastructure({
      redisUrl: testRedisUrl,
      dataDir,
      keyPrefix,
      logger: silentLogger,
    });
    expect(infra.mode).toBe("redis");
    await exercise(infra);
    const ping = await infra.ping();
    expect(ping.ok && ping.latencyMs).toBeLessThan(1_000);
    expect(await countKeysWithPrefix(keyPrefix)).toBeGreaterThan(0);
    await infra.close();
  });

  afterAll(() => deleteKeysWithPrefix(keyPrefix));
});
