import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../client/open-database";
import type { NewOutboxEvent, TurnCommit } from "../conversations/turn-commit-sql";
import { availableTestDatabaseKinds, createTestDatabase, type TestDatabase } from "../testing/index";
import { type OutboxEvent, type OutboxRelay, RetryLaterError } from "./relay";

/** A tenant with a bot, a flow and a version, through the system client. */
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
  return { tenantId, botId: bot.id, flowId: flow.id, versionId: version.id };
}
type Seeded = Awaited<ReturnType<typeof seedTenant>>;

const at = new Date("2026-03-01T10:00:00.000Z");

function event(topic: string, conversationId: string, n: number): NewOutboxEvent {
  return { topic, payload: { id: randomUUID(), version: 1, conversationId, n } };
}

/** Step `step` of conversation `id` (0 creates it): one message and two events (outbound, conversation). */
function stepOf(seeded: Seeded, id: string, step: number, messageId: string = randomUUID()): TurnCommit {
  return {
    conversationId: id,
    botId: seeded.botId,
    flowVersionId: seeded.versionId,
    ...(step === 0
      ? {
          create: {
            flowId: seeded.flowId,
            contactId: null,
            channel: "web" as const,
            metadata: {},
            startedAt: at,
          },
        }
      : {}),
    expectedLastSeq: step,
    set: { status: "waiting", lastSeq: step + 1, lastActivityAt: at, turnCountIncrement: 1 },
    messages: [
      { id: messageId, seq: step + 1, author: "bot", payload: { type: "text" }, text: "hi", createdAt: at },
    ],
    analytics: [],
    outbox: [event("message.outbound.v1", id, step * 2), event("conversation.events.v1", id, step * 2 + 1)],
  };
}

const kinds = await availableTestDatabaseKinds();

describe.each(kinds)("transactional outbox and relay on %s", (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  let a: Seeded;
  const relays: OutboxRelay[] = [];
  const relay = (options: Parameters<Database["createOutboxRelay"]>[0] = {}) => {
    const created = db.createOutboxRelay({ idleMs: 10, ...options });
    relays.push(created);
    return created;
  };
  /** Each test starts with an empty outbox and no relay (a live one would keep the leader lock). */
  const reset = async () => {
    for (const r of relays.splice(0)) await r.stop();
    await db.system.$executeRawUnsafe("DELETE FROM outbox");
    await db.system.$executeRawUnsafe("DELETE FROM outbox_consumer_offsets");
    await db.system.$executeRawUnsafe("DELETE FROM outbox_dead_letters");
  };

  beforeAll(async () => {
    testDb = await createTestDatabase({ kind });
    db = testDb.db;
    a = await seedTenant(db, "outbox-a");
    await db.system.$executeRawUnsafe(
      "CREATE TABLE seen (group_id text, event_id uuid, key text, n int, position bigint, PRIMARY KEY (group_id, event_id))",
    );
  });
  afterAll(async () => {
    for (const r of relays) await r.stop().catch(() => {});
    await testDb?.cleanup();
  });

  it("writes a step's events with the turn, in order, and none when the commit does not happen", async () => {
    await reset();
    const store = db.conversationStore(a.tenantId);
    const id = randomUUID();
    expect((await store.commit(stepOf(a, id, 0))).committed).toBe(true);
    const rows = await db.system.outboxEvent.findMany({ where: { key: id }, orderBy: { id: "asc" } });
    expect(rows.map((row) => [row.topic, (row.payload as { n: number }).n, row.tenantId])).toEqual([
      ["message.outbound.v1", 0, a.tenantId],
      ["conversation.events.v1", 1, a.tenantId],
    ]);
    expect(rows[0]?.eventId).toBe((rows[0]?.payload as { id?: string } | undefined)?.id);

    // A stale step (compare-and-set fails): nothing.
    expect((await store.commit(stepOf(a, id, 0))).committed).toBe(false);
    // A failing step (its message id exists: the INSERT fails after the conversation row was updated):
    // the transaction rolls back, the outbox rows with it.
    const first = await db.system.message.findFirstOrThrow({ where: { conversationId: id } });
    await expect(store.commit(stepOf(a, id, 1, first.id))).rejects.toThrow();
    expect(await db.system.outboxEvent.count({ where: { key: id } })).toBe(2);
    // An event whose id is not a UUID fails the whole step too.
    const bad = stepOf(a, id, 1);
    await expect(
      store.commit({ ...bad, outbox: [{ topic: "x", payload: { id: "nope", version: 1 } }] }),
    ).rejects.toThrow();
    expect(await db.system.outboxEvent.count({ where: { key: id } })).toBe(2);
    expect((await store.load(id)).conversation?.lastSeq).toBe(1);
  });

  it("writes model-call analytics (appendAnalytics) to the stream in the same statement", async () => {
    await reset();
    const id = randomUUID();
    await db.conversationStore(a.tenantId).appendAnalytics([
      { type: "llm.call", conversationId: id, botId: a.botId, properties: { tokens: 3 }, occurredAt: at },
      { type: "llm.call", properties: { tokens: 1 }, occurredAt: at },
    ]);
    const rows = await db.system.outboxEvent.findMany({ orderBy: { id: "asc" } });
    const stored = await db.system.analyticsEvent.findMany({
      where: { type: "llm.call", tenantId: a.tenantId },
    });
    expect(rows.map((row) => row.eventId).sort()).toEqual(stored.map((event) => event.id).sort());
    expect(rows.map((row) => row.key).sort()).toEqual([a.tenantId, id].sort());
    const withConversation = rows.find((row) => row.key === id);
    expect(withConversation?.payload).toMatchObject({
      version: 1,
      tenantId: a.tenantId,
      conversationId: id,
      botId: a.botId,
      type: "llm.call",
      data: { analyticsEventId: withConversation?.eventId, properties: { tokens: 3 } },
    });
    expect(
      new Date(
        String((withConversation?.payload as { occurredAt?: string } | undefined)?.occurredAt),
      ).getTime(),
    ).toBe(at.getTime());
  });

  it("relays every event once per group, in commit order per conversation, and prunes what all consumed", async () => {
    await reset();
    const store = db.conversationStore(a.tenantId);
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    // Interleaved steps of three conversations.
    for (let step = 0; step < 4; step++) {
      for (const id of ids) expect((await store.commit(stepOf(a, id, step))).committed).toBe(true);
    }
    const record =
      (group: string) =>
      async (e: OutboxEvent, tx: { query: (t: string, v: unknown[]) => Promise<unknown> }) => {
        await tx.query("INSERT INTO seen VALUES ($1, $2, $3, $4, $5)", [
          group,
          e.id,
          e.key,
          e.payload.n,
          e.position,
        ]);
      };
    const r = relay({ batchSize: 5 });
    r.subscribe(["message.outbound.v1", "conversation.events.v1"], "all", record("all"));
    r.subscribe("message.outbound.v1", "outbound", record("outbound"));
    const pass = await r.drain();
    expect(pass.leader).toBe(true);
    expect(pass.sequenced).toBe(24);
    for (const id of ids) {
      const { rows } = await query<{ n: number }>(
        "SELECT n FROM seen WHERE group_id = 'all' AND key = $1 ORDER BY position",
        [id],
      );
      expect(rows.map((row) => row.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      const outbound = await query<{ n: number }>(
        "SELECT n FROM seen WHERE group_id = 'outbound' AND key = $1 ORDER BY position",
        [id],
      );
      expect(outbound.rows.map((row) => row.n)).toEqual([0, 2, 4, 6]);
    }
    // Consumed by every group: pruned.
    expect(await db.system.outboxEvent.count()).toBe(0);
    // Nothing new: a second drain delivers nothing.
    expect((await r.drain()).delivered).toBe(0);
    const lag = await r.lag();
    expect(lag.every((entry) => entry.events === 0)).toBe(true);
  });

  it("reports lag per group (count and oldest age) until the group consumed", async () => {
    await reset();
    const id = randomUUID();
    await db.conversationStore(a.tenantId).commit(stepOf(a, id, 0));
    const r = relay();
    r.subscribe("message.outbound.v1", "lagging", async () => {
      throw new RetryLaterError("downstream busy");
    });
    const before = await r.lag();
    expect(before.find((entry) => entry.groupId === "(unsequenced)")?.events).toBe(2);
    expect(before.find((entry) => entry.groupId === "lagging")?.events).toBe(1);
    await r.runOnce();
    const after = await r.lag();
    expect(after.find((entry) => entry.groupId === "(unsequenced)")?.events).toBe(0);
    const lagging = after.find((entry) => entry.groupId === "lagging");
    expect(lagging?.events).toBe(1);
    expect(lagging?.oldestSeconds).toBeGreaterThanOrEqual(0);
    await r.stop();
  });

  it("dead-letters an event a handler keeps failing, and moves on in order", async () => {
    await reset();
    const id = randomUUID();
    await db.conversationStore(a.tenantId).commit(stepOf(a, id, 0));
    await db.conversationStore(a.tenantId).commit(stepOf(a, id, 1));
    const r = relay({ maxAttempts: 2 });
    const attempts: number[] = [];
    r.subscribe("message.outbound.v1", "picky", async (e, tx) => {
      attempts.push(e.payload.n as number);
      await tx.query("INSERT INTO seen VALUES ('picky', $1, $2, $3, $4)", [
        e.id,
        e.key,
        e.payload.n,
        e.position,
      ]);
      if (e.payload.n === 0) throw new Error("poison");
    });
    const pass = await r.drain();
    expect(pass.deadLettered).toBe(1);
    // The batch first runs without savepoints; the failure makes it run again with one per event.
    expect(attempts).toEqual([0, 0, 0, 2]);
    // The failed attempts' writes were rolled back (savepoint); the next event was handled.
    const { rows } = await query<{ n: number }>(
      "SELECT n FROM seen WHERE group_id = 'picky' ORDER BY position",
    );
    expect(rows.map((row) => row.n)).toEqual([2]);
    const letters = await db.system.outboxDeadLetter.findMany({ where: { groupId: "picky" } });
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ topic: "message.outbound.v1", key: id, error: "poison", attempts: 2 });
    expect((letters[0]?.payload as { n?: number } | undefined)?.n).toBe(0);
  });

  it("runs a handler's after-commit effects once the batch committed, without those of attempts that rolled back", async () => {
    await reset();
    const id = randomUUID();
    await db.conversationStore(a.tenantId).commit(stepOf(a, id, 0));
    await db.conversationStore(a.tenantId).commit(stepOf(a, id, 1));
    const r = relay({ maxAttempts: 2 });
    const effects: { n: number; committed: number }[] = [];
    // n = 2 fails in the first run (no savepoints) and in its first careful attempt.
    let failures = 2;
    r.subscribe("message.outbound.v1", "effects", async (e, tx) => {
      await tx.query("INSERT INTO seen VALUES ('effects', $1, $2, $3, $4)", [
        e.id,
        e.key,
        e.payload.n,
        e.position,
      ]);
      const n = e.payload.n as number;
      // The effect sees the committed rows (it runs after COMMIT, on another connection).
      tx.afterCommit(async () => {
        const { rows } = await query<{ count: string }>(
          "SELECT count(*) AS count FROM seen WHERE group_id = 'effects'",
        );
        effects.push({ n, committed: Number(rows[0]?.count) });
      });
      if (n === 2 && failures > 0) {
        failures -= 1;
        throw new Error("flaky");
      }
    });
    const pass = await r.drain();
    expect(pass.deadLettered).toBe(0);
    // The first (savepoint-less) run failed as a whole, its effects with it; the careful redo's
    // failed attempt of n = 2 dropped its effect: one effect per event, after both rows committed.
    expect(effects).toEqual([
      { n: 0, committed: 2 },
      { n: 2, committed: 2 },
    ]);
  });

  it("hands a sink batches and dead-letters what it refuses; a sink that throws is retried from the same offset", async () => {
    await reset();
    const id = randomUUID();
    await db.conversationStore(a.tenantId).commit(stepOf(a, id, 0));
    await db.conversationStore(a.tenantId).commit(stepOf(a, id, 1));
    const r = relay();
    const published: number[] = [];
    let down = true;
    r.addSink({
      groupId: "sink",
      topics: ["conversation.events.v1"],
      async publish(events) {
        if (down) throw new Error("broker unreachable");
        const refused = events.filter((e) => e.payload.n === 1);
        published.push(...events.filter((e) => e.payload.n !== 1).map((e) => e.payload.n as number));
        return { deadLetters: refused.map((e) => ({ event: e, error: "too large" })) };
      },
    });
    await r.runOnce();
    expect(published).toEqual([]);
    expect((await r.lag()).find((entry) => entry.groupId === "sink")?.events).toBe(2);
    down = false;
    // The failed group is paused for a moment; a new relay (another process) serves it at once.
    const other = relay();
    other.addSink({
      groupId: "sink",
      topics: ["conversation.events.v1"],
      publish: async (events) => {
        published.push(...events.filter((e) => e.payload.n !== 1).map((e) => e.payload.n as number));
        return {
          deadLetters: events.filter((e) => e.payload.n === 1).map((e) => ({ event: e, error: "too large" })),
        };
      },
    });
    await r.stop();
    const pass = await other.drain();
    expect(pass.deadLettered).toBe(1);
    expect(published).toEqual([3]);
    expect(await db.system.outboxDeadLetter.count({ where: { groupId: "sink", error: "too large" } })).toBe(
      1,
    );
  });

  it.skipIf(kind === "embedded")(
    "a relay killed mid-batch loses nothing and a restarted one delivers nothing twice to the group",
    async () => {
      await reset();
      const store = db.conversationStore(a.tenantId);
      const ids = [randomUUID(), randomUUID()];
      for (let step = 0; step < 5; step++) {
        for (const id of ids) await store.commit(stepOf(a, id, step));
      }
      let reached!: () => void;
      const atSeventh = new Promise<void>((resolve) => {
        reached = resolve;
      });
      let release!: () => void;
      const hold = new Promise<void>((resolve) => {
        release = resolve;
      });
      let handled = 0;
      const first = relay({ batchSize: 100 });
      first.subscribe(["message.outbound.v1", "conversation.events.v1"], "restart", async (e, tx) => {
        await tx.query("INSERT INTO seen VALUES ('restart', $1, $2, $3, $4)", [
          e.id,
          e.key,
          e.payload.n,
          e.position,
        ]);
        handled += 1;
        if (handled === 7) {
          reached();
          await hold;
        }
      });
      const running = first.runOnce().catch((error: unknown) => error);
      await atSeventh;
      // The process dies: its connection goes, its transaction (6 handled events and the offset) with it.
      await query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'parley-outbox-relay' AND datname = current_database()",
      );
      release();
      await running;
      const second = relay({ batchSize: 3 });
      second.subscribe(["message.outbound.v1", "conversation.events.v1"], "restart", async (e, tx) => {
        // The primary key on (group, event id) would fail a duplicate (and dead-letter it).
        await tx.query("INSERT INTO seen VALUES ('restart', $1, $2, $3, $4)", [
          e.id,
          e.key,
          e.payload.n,
          e.position,
        ]);
      });
      await second.drain();
      const { rows } = await query<{ key: string; n: number }>(
        "SELECT key, n FROM seen WHERE group_id = 'restart' ORDER BY position",
      );
      expect(rows).toHaveLength(20);
      for (const id of ids) {
        expect(rows.filter((row) => row.key === id).map((row) => row.n)).toEqual([
          0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
        ]);
      }
      expect(await db.system.outboxDeadLetter.count({ where: { groupId: "restart" } })).toBe(0);
    },
  );

  async function query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
    const client = new pg.Client(testDb.url);
    await client.connect();
    try {
      return await client.query<R>(text, values);
    } finally {
      await client.end();
    }
  }
});
