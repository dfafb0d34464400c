import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Database, openDatabase } from "@parley/db";
import { availableTestDatabaseKinds } from "@parley/db/testing";
import { createInfrastructure, type Infrastructure } from "@parley/infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CoreDeps } from "../context";
import { ServiceError } from "../errors";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { authenticateKey, revokeApiKey } from "./api-keys";

const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Whether the local Redis answers (cluster mode is tested only where it runs). */
async function redisReachable(): Promise<boolean> {
  const { Redis } = await import("ioredis");
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000 });
  probe.on("error", () => {});
  try {
    await probe.connect();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const modes = [
  ...(await availableTestDatabaseKinds()).map((kind) => ({
    name: `${kind} database, in-process infra`,
    kind,
  })),
  ...((await availableTestDatabaseKinds()).includes("postgres") && (await redisReachable())
    ? [{ name: "postgres database, redis infra (cluster)", kind: "postgres" as const, redis: true }]
    : []),
];

/** How long until `check` stops throwing, polling every 20 ms (fails after `withinMs`). */
async function timeUntil(check: () => Promise<boolean>, withinMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < withinMs) {
    if (await check()) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`still not true after ${withinMs} ms`);
}

describe.each(modes)("revoking an API key with another process holding it ($name)", (mode) => {
  let harness: Harness;
  /** The other process: its own database pool, caches and infrastructure on the same database. */
  let other: CoreDeps;
  let otherDb: Database;
  let otherInfra: Infrastructure;
  let otherDir: string;

  beforeAll(async () => {
    harness = await createHarness({ kind: mode.kind, ...("redis" in mode ? { redisUrl: REDIS_URL } : {}) });
    otherDb = await openDatabase({ url: harness.testDb.url, poolSize: 2 });
    otherDir = mkdtempSync(join(tmpdir(), "parley-other-"));
    otherInfra = await createInfrastructure({
      dataDir: otherDir,
      withQueue: false,
      ...("redis" in mode ? { redisUrl: REDIS_URL, keyPrefix: `parley-test-other-${process.pid}:` } : {}),
      logger: { info() {}, warn() {}, error() {} } as never,
    });
    other = { db: otherDb, infra: otherInfra };
  }, 120_000);
  afterAll(async () => {
    await otherInfra?.close();
    await otherDb?.close();
    rmSync(otherDir, { recursive: true, force: true });
    await harness?.cleanup();
  });

  it("is refused by the other process within a second", async () => {
    const seed = await seedTenant(harness.deps, "Revocation");
    // The other process authenticates the key and keeps it in memory.
    expect((await authenticateKey(other, seed.key)).tenantId).toBe(seed.tenant.id);
    expect((await authenticateKey(other, seed.key)).tenantId).toBe(seed.tenant.id);

    await revokeApiKey(seed.ctx, seed.apiKey.id);
    // This process refuses it at once.
    await expect(authenticateKey(harness.deps, seed.key)).rejects.toMatchObject({ code: "api-key-revoked" });
    // The other one within about a second (it polls the configuration revision twice a second).
    const tookMs = await timeUntil(async () => {
      try {
        await authenticateKey(other, seed.key);
        return false;
      } catch (error) {
        expect(error).toBeInstanceOf(ServiceError);
        expect((error as ServiceError).code).toBe("api-key-revoked");
        return true;
      }
    }, 3_000);
    expect(tookMs).toBeLessThan(1_200);
  }, 60_000);

  it("drops a rotated publishable key in the other process too", async () => {
    const seed = await seedTenant(harness.deps, "Rotation");
    expect((await authenticateKey(other, seed.bot.publishableKey)).actor.type).toBe("widget");
    const { rotatePublishableKey } = await import("../bots/bots");
    await rotatePublishableKey(seed.ctx, seed.bot.id);
    const tookMs = await timeUntil(
      () =>
        authenticateKey(other, seed.bot.publishableKey).then(
          () => false,
          (error: ServiceError) => error.code === "invalid-api-key",
        ),
      3_000,
    );
    expect(tookMs).toBeLessThan(1_200);
  }, 60_000);
});
