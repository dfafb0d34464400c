import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../client/open-database";
import { availableTestDatabaseKinds, createTestDatabase, type TestDatabase } from "../testing/index";
import { InboundBatcher } from "./inbound-batcher";

/** A tenant with a bot, a published-looking version and a Telegram channel, through the system client. */
async function seedTenant(db: Database, slug: string) {
  const tenant = await db.system.tenant.create({ data: { name: slug, slug } });
  const tenantId = tenant.id;
  const bot = await db.system.bot.create({
    data: { tenantId, name: "bot", publishableKey: `pk_${slug}`, allowedOrigins: [] },
  });
  const flow = await db.system.flow.create({ data: { tenantId, botId: bot.id, name: "main", draft: {} } });
  const version = await db.system.flowVersion.create({
    data: { tenantId, botId: bot.id, flowId: flow.id, version: 1, document: {}, status: "draft" },
  });
  const channel = await db.system.channelConfig.create({
    data: { tenantId, botId: bot.id, channel: "telegram" },
  });
  return { tenantId, botId: bot.id, flowId: flow.id, versionId: version.id, channelId: channel.id };
}

const at = new Date("2026-03-01T10:00:00.000Z");

// Events of one webhook share their receipt time and are ordered by id: ids count up, as the
// runtime's (UUIDv7, monotonic in a process) do.
const run = randomUUID().slice(0, 8);
let counter = 0;
const orderedId = () => `${run}-0000-7000-8000-${(++counter).toString(16).padStart(12, "0")}`;

const kinds = await availableTestDatabaseKinds();

describe.each(kinds)("channel store on %s", (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  let a: Awaited<ReturnType<typeof seedTenant>>;
  let b: Awaited<ReturnType<typeof seedTenant>>;

  beforeAll(async () => {
    testDb = await createTestDatabase({ kind });
    db = testDb.db;
    a = await seedTenant(db, "chan-a");
    b = await seedTenant(db, "chan-b");
  });
  afterAll(() => testDb?.cleanup());

  const event = (eventId: string, threadId: string) => ({
    id: orderedId(),
    eventId,
    threadId,
    payload: { eventId, threadId, text: `said ${eventId}` },
  });

  it("stores each platform event once, drains a thread in order and finds the thread's conversation", async () => {
    const store = db.channelStore(a.tenantId);
    const first = await store.storeInbound(a.channelId, [
      event("u1", "77"),
      event("u2", "77"),
      event("u3", "88"),
    ]);
    expect(first.map((row) => row.threadId)).toEqual(["77", "77", "88"]);
    // The platform retries u2: nothing new; u4 is new.
    const retry = await store.storeInbound(a.channelId, [event("u2", "77"), event("u4", "77")]);
    expect(retry).toHaveLength(1);
    expect(await db.system.channelInboundEvent.count({ where: { channelConfigId: a.channelId } })).toBe(4);

    const read = await store.drainThread(a.channelId, "77", [], 2);
    expect(read.pending.map((row) => (row.payload as { eventId: string }).eventId)).toEqual(["u1", "u2"]);
    expect(read.openConversationId).toBeNull();

    // A conversation started on the thread (its channel and thread set in the commit's transaction).
    const conversationId = randomUUID();
    const committed = await db.conversationStore(a.tenantId).commit({
      conversationId,
      botId: a.botId,
      flowVersionId: a.versionId,
      create: {
        flowId: a.flowId,
        contactId: null,
        channel: "telegram",
        metadata: {},
        startedAt: at,
        thread: { channelConfigId: a.channelId, externalThreadId: "77" },
      },
      expectedLastSeq: 0,
      set: { status: "waiting", lastSeq: 0, lastActivityAt: at, turnCountIncrement: 1 },
      messages: [],
      analytics: [],
    });
    expect(committed.committed).toBe(true);

    // Outcomes are written with the next read: done rows leave the pending list.
    const [u1, u2] = read.pending;
    const next = await store.drainThread(
      a.channelId,
      "77",
      [
        { id: u1!.id, status: "done", conversationId },
        { id: u2!.id, status: "failed", error: "no published flow" },
      ],
      10,
    );
    expect(next.pending.map((row) => (row.payload as { eventId: string }).eventId)).toEqual(["u4"]);
    expect(next.openConversationId).toBe(conversationId);
    const rows = await db.system.channelInboundEvent.findMany({
      where: { id: { in: [u1!.id, u2!.id] } },
      orderBy: { receivedAt: "asc" },
    });
    expect(rows.map((row) => [row.status, row.conversationId, row.error])).toEqual([
      ["done", conversationId, null],
      ["failed", null, "no published flow"],
    ]);

    // Another tenant sees none of it, even naming the channel.
    const foreign = await db.channelStore(b.tenantId).drainThread(a.channelId, "77", [], 10);
    expect(foreign).toEqual({ pending: [], openConversationId: null });
  });

  it("marks a channel event done in the turn's commit, only when the commit wrote the event's message", async () => {
    const store = db.channelStore(a.tenantId);
    const conversations = db.conversationStore(a.tenantId);
    const conversationId = randomUUID();
    const [first, second] = await store.storeInbound(a.channelId, [event("k1", "55"), event("k2", "55")]);
    const step = (expectedLastSeq: number, rowId: string, clientMessageId: string) => {
      const messageId = randomUUID();
      return {
        conversationId,
        botId: a.botId,
        flowVersionId: a.versionId,
        ...(expectedLastSeq === 0
          ? {
              create: {
                flowId: a.flowId,
                contactId: null,
                channel: "telegram" as const,
                metadata: {},
                startedAt: at,
                thread: { channelConfigId: a.channelId, externalThreadId: "55" },
              },
            }
          : {}),
        expectedLastSeq,
        set: {
          status: "waiting" as const,
          lastSeq: expectedLastSeq + 1,
          lastActivityAt: at,
          turnCountIncrement: 1 as const,
        },
        messages: [
          {
            id: messageId,
            seq: expectedLastSeq + 1,
            author: "user" as const,
            payload: { type: "user_text", text: clientMessageId },
            text: clientMessageId,
            clientMessageId,
            createdAt: at,
          },
        ],
        analytics: [],
        channelEvent: { id: rowId, messageId },
      };
    };
    expect((await conversations.commit(step(0, first!.id, "ch:k1"))).committed).toBe(true);
    // A stale step (compare-and-set fails) and a resend (client id stored) mark nothing.
    expect((await conversations.commit(step(0, second!.id, "ch:k2"))).committed).toBe(false);
    expect((await conversations.commit(step(1, second!.id, "ch:k1"))).duplicate).toBe(true);
    const status = async () =>
      (
        await db.system.channelInboundEvent.findMany({
          where: { id: { in: [first!.id, second!.id] } },
          orderBy: { eventId: "asc" },
        })
      ).map((row) => [row.status, row.conversationId]);
    expect(await status()).toEqual([
      ["done", conversationId],
      ["pending", null],
    ]);
    const read = await store.drainThread(a.channelId, "55", [], 10);
    expect(read.pending.map((row) => row.id)).toEqual([second!.id]);
    expect(read.openConversationId).toBe(conversationId);
    expect((await conversations.commit(step(1, second!.id, "ch:k2"))).committed).toBe(true);
    expect(await status()).toEqual([
      ["done", conversationId],
      ["done", conversationId],
    ]);
    // Limit 0 writes outcomes only (and nothing when there are none).
    expect(await store.drainThread(a.channelId, "55", [], 0)).toEqual({
      pending: [],
      openConversationId: null,
    });
  });

  it("groups webhooks' inserts made while the inserts in flight are busy: one statement, each caller its new rows", async () => {
    const pool = new pg.Pool({ connectionString: testDb.url, max: 2 });
    let transactions = 0;
    const connect = pool.connect.bind(pool);
    (pool as { connect: () => Promise<pg.PoolClient> }).connect = () => {
      transactions += 1;
      return connect();
    };
    try {
      const batcher = new InboundBatcher(pool, 1);
      const row = (eventId: string, threadId: string, channelConfigId = a.channelId) => ({
        ...event(eventId, threadId),
        channelConfigId,
      });
      // The first call runs alone; the next four wait for it and go in one insert, where g3 is a
      // platform's retry of g2 in the same batch and g5 an event of another channel.
      const calls = [
        batcher.store(a.tenantId, [row("g1", "41")]),
        batcher.store(a.tenantId, [row("g2", "42"), row("g3", "42")]),
        batcher.store(a.tenantId, [row("g2", "42")]),
        batcher.store(a.tenantId, [row("g4", "43")]),
        batcher.store(b.tenantId, [row("g5", "44", b.channelId)]),
      ];
      const stored = await Promise.all(calls);
      expect(stored.map((rows) => rows.map((r) => r.threadId))).toEqual([
        ["41"],
        ["42", "42"],
        [],
        ["43"],
        ["44"],
      ]);
      // Three transactions: g1 alone, then tenant a's waiting calls together, then tenant b's.
      expect(transactions).toBe(3);
      expect(
        await db.system.channelInboundEvent.count({
          where: { eventId: { in: ["g1", "g2", "g3", "g4", "g5"] } },
        }),
      ).toBe(5);
      // A batch that fails fails every call in it, storing nothing (an unknown channel here).
      const failing = [
        batcher.store(a.tenantId, [row("g6", "45")]),
        batcher.store(a.tenantId, [row("g7", "45", randomUUID())]),
        batcher.store(a.tenantId, [row("g8", "45")]),
      ];
      const outcomes = await Promise.allSettled(failing);
      expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "rejected"]);
      expect(await db.system.channelInboundEvent.count({ where: { eventId: "g8" } })).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it("reads what a delivery pass needs and records attempts by message (sent, then a pending retry)", async () => {
    const store = db.channelStore(a.tenantId);
    const conversationId = randomUUID();
    const message = (seq: number, author: "user" | "bot") => ({
      id: randomUUID(),
      seq,
      author,
      payload: { type: "text", text: `m${seq}` },
      text: `m${seq}`,
      createdAt: at,
    });
    const messages = [message(1, "user"), message(2, "bot"), message(3, "bot"), message(4, "bot")];
    await db.conversationStore(a.tenantId).commit({
      conversationId,
      botId: a.botId,
      flowVersionId: a.versionId,
      create: {
        flowId: a.flowId,
        contactId: null,
        channel: "telegram",
        metadata: { channel: { threadId: "99" } },
        startedAt: at,
        thread: { channelConfigId: a.channelId, externalThreadId: "99" },
      },
      expectedLastSeq: 0,
      set: { status: "waiting", lastSeq: 4, lastActivityAt: at, turnCountIncrement: 1 },
      messages,
      analytics: [],
    });
    const [stored] = await store.storeInbound(a.channelId, [event("d1", "99")]);
    await store.drainThread(a.channelId, "99", [{ id: stored!.id, status: "done", conversationId }], 0);

    const pass = await store.deliveryPass(conversationId, 50);
    expect(pass.conversation).toEqual({
      channelConfigId: a.channelId,
      externalThreadId: "99",
      metadata: { channel: { threadId: "99" } },
    });
    expect(pass.latestInbound).toMatchObject({ eventId: "d1" });
    expect(pass.messages.map((row) => [row.seq, row.delivery])).toEqual([
      [2, null],
      [3, null],
      [4, null],
    ]);

    const record = (seq: number, status: "sent" | "pending", nextAttemptAt: Date | null = null) => ({
      id: randomUUID(),
      channelConfigId: a.channelId,
      conversationId,
      messageId: messages[seq - 1]!.id,
      seq,
      status,
      attempts: 1,
      callsSent: status === "sent" ? 1 : 0,
      nextAttemptAt,
      platformMessageId: status === "sent" ? `p${seq}` : null,
      lastError: status === "sent" ? null : "429 Too Many Requests",
      now: at,
    });
    const retryAt = new Date("2026-03-01T10:00:05.000Z");
    await store.recordDeliveries([record(2, "sent"), record(3, "pending", retryAt)]);
    const after = await store.deliveryPass(conversationId, 50);
    expect(after.messages.map((row) => row.seq)).toEqual([3, 4]);
    expect(after.messages[0]?.delivery).toMatchObject({
      status: "pending",
      attempts: 1,
      callsSent: 0,
      nextAttemptAt: retryAt,
    });

    // The retry succeeds: the same row is updated, its error kept for the record.
    await store.recordDeliveries([{ ...record(3, "sent"), attempts: 2 }]);
    const rows = await db.system.channelDelivery.findMany({
      where: { conversationId },
      orderBy: { seq: "asc" },
    });
    expect(
      rows.map((row) => [row.seq, row.status, row.attempts, row.platformMessageId, row.lastError]),
    ).toEqual([
      [2, "sent", 1, "p2", null],
      [3, "sent", 2, "p3", "429 Too Many Requests"],
    ]);
    expect((await store.deliveryPass(conversationId, 50)).messages.map((row) => row.seq)).toEqual([4]);
  });
});
