import { availableTestDatabaseKinds } from "@parley/db/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceContext } from "../context";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { getConversation, sendMessage, startConversation } from "./conversations";
import { hotKey } from "./load";

const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

async function redisReachable(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 5_000 });
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

const cluster = (await availableTestDatabaseKinds()).includes("postgres") && (await redisReachable());

/**
 * The hot conversation cache in Redis is bounded: every entry expires (an idle conversation leaves
 * Redis after the configured TTL, so a million idle conversations need no entries) and a state
 * bigger than the entry budget is not cached at all.
 */
describe.runIf(cluster)("the hot conversation cache in Redis", () => {
  let harness: Harness;
  let redis: Redis;
  beforeAll(async () => {
    harness = await createHarness({ kind: "postgres", redisUrl: REDIS_URL });
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    redis?.disconnect();
    await harness?.cleanup();
  });

  /** The Redis key (whatever the deployment's prefix) holding the conversation's entry, if any. */
  async function entryOf(tenantId: string, conversationId: string) {
    const [key] = (await redis.keys(`*cache:${hotKey(tenantId, conversationId)}`)) as string[];
    return key === undefined ? undefined : { key, ttlMs: await redis.pttl(key) };
  }

  async function turnWith(hotCache: { ttlMs?: number; maxEntryBytes?: number }) {
    const deps = { ...harness.deps, hotCache };
    const seed = await seedTenant(deps, "Hot cache");
    const ctx: ServiceContext = { ...seed.ctx, deps };
    const { conversationId } = await startConversation(ctx, seed.bot.id, {});
    const reply = await sendMessage(ctx, conversationId, { text: "Ada" });
    return { ctx, conversationId, reply };
  }

  it("expires every entry after the configured TTL (an idle conversation leaves Redis)", async () => {
    const { ctx, conversationId } = await turnWith({ ttlMs: 30_000 });
    const entry = await entryOf(ctx.tenantId, conversationId);
    expect(entry).toBeDefined();
    // Redis drops the key by itself when this reaches 0: no entry lives without a deadline.
    expect(entry!.ttlMs).toBeGreaterThan(0);
    expect(entry!.ttlMs).toBeLessThanOrEqual(30_000);
  }, 60_000);

  it("keeps no entry for a conversation bigger than the budget (the pizza state is ~540 bytes), and its turns still work", async () => {
    const { ctx, conversationId, reply } = await turnWith({ maxEntryBytes: 256 });
    expect(reply.status).toBe("waiting");
    expect(await entryOf(ctx.tenantId, conversationId)).toBeUndefined();
    // The next turn reads the conversation from the database instead.
    const next = await sendMessage(ctx, conversationId, { choice: "large" });
    expect(next.status).toBe("waiting");
    const transcript = await getConversation(ctx, conversationId);
    expect(transcript.entries.filter((entry) => entry.author === "user")).toHaveLength(2);
  }, 60_000);
});
