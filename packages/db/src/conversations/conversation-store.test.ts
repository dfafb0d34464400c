import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../client/open-database";
import { TenantScopeError } from "../errors";
import { runTenantBatch } from "../sql/tenant-batch";
import { availableTestDatabaseKinds, createTestDatabase, type TestDatabase } from "../testing/index";
import { type TurnCommit, turnCommitStatement } from "./turn-commit-sql";

/** A tenant with a bot, a flow and a published version, through the system client. */
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

/** The first step of a new conversation: one bot message. */
function firstStep(seeded: Seeded, conversationId: string, contactId: string | null = null): TurnCommit {
  return {
    conversationId,
    botId: seeded.botId,
    flowVersionId: seeded.versionId,
    create: {
      flowId: seeded.flowId,
      contactId,
      channel: "web",
      metadata: { user: { id: "u1" } },
      startedAt: at,
    },
    expectedLastSeq: 0,
    set: {
      status: "waiting",
      lastSeq: 1,
      lastActivityAt: at,
      turnCountIncrement: 1,
      snapshot: { value: "ask-name" },
      variables: {},
    },
    messages: [
      {
        id: randomUUID(),
        seq: 1,
        author: "bot",
        payload: { type: "text", text: "Hi 'there' \\o/" },
        text: "Hi",
        createdAt: at,
      },
    ],
    analytics: [
      { id: randomUUID(), type: "conversation.started", properties: { channel: "web" }, occurredAt: at },
    ],
  };
}

/** The next step: the user's answer and the bot's reply. */
function nextStep(
  seeded: Seeded,
  conversationId: string,
  expectedLastSeq: number,
  clientMessageId?: string,
): TurnCommit {
  return {
    conversationId,
    botId: seeded.botId,
    flowVersionId: seeded.versionId,
    expectedLastSeq,
    set: {
      status: "ended",
      lastSeq: expectedLastSeq + 2,
      lastActivityAt: at,
      turnCountIncrement: 1,
      snapshot: { value: "done" },
      variables: { customerName: "Ada" },
      endedAt: at,
    },
    messages: [
      {
        id: randomUUID(),
        seq: expectedLastSeq + 1,
        author: "user",
        payload: { type: "user_text", text: "Ada" },
        text: "Ada",
        clientMessageId: clientMessageId ?? null,
        createdAt: at,
      },
      {
        id: randomUUID(),
        seq: expectedLastSeq + 2,
        author: "bot",
        payload: { type: "end" },
        text: null,
        nodeId: "end",
        createdAt: at,
      },
    ],
    analytics: [{ id: randomUUID(), type: "turn", properties: { latencyMs: 1.5 }, occurredAt: at }],
  };
}

const kinds = await availableTestDatabaseKinds();

describe.each(kinds)("conversation store on %s", (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  let a: Seeded;
  let b: Seeded;

  beforeAll(async () => {
    testDb = await createTestDatabase({ kind });
    db = testDb.db;
    a = await seedTenant(db, "store-a");
    b = await seedTenant(db, "store-b");
    await db.system.webhookEndpoint.create({
      data: {
        tenantId: a.tenantId,
        url: "https://hooks.example/a",
        events: ["conversation.started"],
        secretCiphertext: "c",
        secretKeyId: "k",
      },
    });
    await db.system.webhookEndpoint.create({
      data: {
        tenantId: a.tenantId,
        url: "https://hooks.example/off",
        events: ["conversation.started", "message"],
        enabled: false,
        secretCiphertext: "c",
        secretKeyId: "k",
      },
    });
  });
  afterAll(() => testDb?.cleanup());

  it("writes a first step in one statement: conversation, messages, events; no webhook delivery (the relay makes those)", async () => {
    const store = db.conversationStore(a.tenantId);
    const id = randomUUID();
    const outcome = await store.commit(firstStep(a, id));
    expect(outcome).toEqual({ committed: true });
    const { conversation } = await store.load(id);
    expect(conversation).toMatchObject({
      id,
      tenantId: a.tenantId,
      botId: a.botId,
      status: "waiting",
      lastSeq: 1,
      turnCount: 1,
      snapshot: { value: "ask-name" },
      metadata: { user: { id: "u1" } },
      channel: "web",
    });
    expect(conversation?.startedAt).toBeInstanceOf(Date);
    const messages = await db.system.message.findMany({ where: { conversationId: id } });
    expect(messages.map((m) => m.payload)).toEqual([{ type: "text", text: "Hi 'there' \\o/" }]);
    // Tenant a subscribes to conversation.started, yet the commit records no delivery: webhooks are a
    // consumer group of the outbox relay (core's parley.webhooks), so nothing is made twice.
    expect(await db.system.webhookDelivery.count({ where: { tenantId: a.tenantId } })).toBe(0);
    expect(await db.system.analyticsEvent.count({ where: { conversationId: id } })).toBe(1);
  });

  it("updates with a compare-and-set on lastSeq: a stale step writes nothing at all", async () => {
    const store = db.conversationStore(a.tenantId);
    const id = randomUUID();
    await store.commit(firstStep(a, id));
    expect((await store.commit(nextStep(a, id, 1, "client-1"))).committed).toBe(true);
    const stale = await store.commit(nextStep(a, id, 1, "client-2"));
    expect(stale).toEqual({ committed: false });
    const { conversation, seenSeq } = await store.load(id, { clientMessageId: "client-1" });
    expect(conversation).toMatchObject({
      status: "ended",
      lastSeq: 3,
      turnCount: 2,
      variables: { customerName: "Ada" },
    });
    expect(conversation?.endedAt?.toISOString()).toBe(at.toISOString());
    expect(seenSeq).toBe(2);
    expect(await store.seenClientMessage(id, "client-2")).toBeNull();
    expect(await store.lastSeq(id)).toBe(3);
    expect(await store.lastSeq(randomUUID())).toBeNull();
    expect(await db.conversationStore(b.tenantId).lastSeq(id)).toBeNull();
    expect(await db.system.message.count({ where: { conversationId: id } })).toBe(3);
    expect(await db.system.analyticsEvent.count({ where: { conversationId: id } })).toBe(2);
    // Creating it again is refused the same way.
    expect((await store.commit(firstStep(a, id))).committed).toBe(false);
    expect(await store.history(id, 10)).toEqual([
      { author: "bot", text: "Hi" },
      { author: "user", text: "Ada" },
    ]);
  });

  it("refuses a resend at commit (its client message id stored): nothing written, `duplicate`; freshness reads it", async () => {
    const store = db.conversationStore(a.tenantId);
    const id = randomUUID();
    await store.commit(firstStep(a, id));
    expect((await store.commit(nextStep(a, id, 1, "client-r"))).committed).toBe(true);
    // The resend, computed from a copy that is current (lastSeq 3): only the unique index refuses it.
    const resend = nextStep(a, id, 3, "client-r");
    expect(await store.commit(resend)).toEqual({ committed: false, duplicate: true });
    expect(await store.load(id)).toMatchObject({ conversation: { lastSeq: 3, turnCount: 2 } });
    expect(await db.system.message.count({ where: { conversationId: id } })).toBe(3);
    expect(await store.freshness(id, "client-r")).toEqual({ lastSeq: 3, seenSeq: 2 });
    expect(await store.freshness(id, "client-new")).toEqual({ lastSeq: 3, seenSeq: null });
    expect(await store.freshness(id)).toEqual({ lastSeq: 3, seenSeq: null });
    expect(await db.conversationStore(b.tenantId).freshness(id, "client-r")).toEqual({
      lastSeq: null,
      seenSeq: null,
    });
    const read = await store.historyAndLastSeq(id, 10, "client-r");
    expect([read.lastSeq, read.seenSeq, read.history.length]).toEqual([3, 2, 2]);
  });

  it("rolls the whole step back when a statement fails, and the connection stays usable", async () => {
    const store = db.conversationStore(a.tenantId);
    const id = randomUUID();
    await store.commit(firstStep(a, id));
    const clash = nextStep(a, id, 1);
    clash.messages[1]!.seq = 1; // duplicates message seq 1: unique violation after the update ran
    await expect(store.commit(clash)).rejects.toThrow(/duplicate key|unique/);
    const { conversation } = await store.load(id);
    expect(conversation).toMatchObject({ status: "waiting", lastSeq: 1, turnCount: 1 });
    expect(await db.system.message.count({ where: { conversationId: id } })).toBe(1);
  });

  it("keeps tenants apart: another tenant's store neither sees nor changes the conversation", async () => {
    const id = randomUUID();
    await db.conversationStore(a.tenantId).commit(firstStep(a, id));
    const foreign = db.conversationStore(b.tenantId);
    expect((await foreign.load(id)).conversation).toBeNull();
    expect((await foreign.commit(nextStep(a, id, 1))).committed).toBe(false);
    // Stamping another tenant's id on new rows is refused by row-level security, not just filtered.
    await expect(foreign.commit(firstStep(a, randomUUID()))).rejects.toThrow(/row-level security|violates/);
    expect(() => db.conversationStore("")).not.toThrow();
    await expect(db.conversationStore(" ").load(id)).rejects.toThrow(TenantScopeError);
  });

  it("refuses, inside the database too, a step for another tenant than the transaction's", async () => {
    const pool = new pg.Pool({ connectionString: testDb.url, max: 1 });
    try {
      const step = turnCommitStatement(a.tenantId, firstStep(a, randomUUID()));
      await expect(runTenantBatch(pool, b.tenantId, [step])).rejects.toThrow(/not the transaction's tenant/);
    } finally {
      await pool.end();
    }
  });

  it("creates a contact once per identity and merges contact attributes on commit", async () => {
    const store = db.conversationStore(a.tenantId);
    const identity = { channel: "web" as const, externalId: `visitor-${randomUUID()}` };
    expect(await store.findContact(identity.channel, identity.externalId)).toBeNull();
    const create = () =>
      store.resolveContact({
        ...identity,
        contactId: randomUUID(),
        identityId: randomUUID(),
        displayName: "Ada",
        now: at,
      });
    const [first, second] = await Promise.all([create(), create()]);
    expect(second.contactId).toBe(first.contactId);
    expect(await db.system.contact.count({ where: { tenantId: a.tenantId, displayName: "Ada" } })).toBe(1);

    const id = randomUUID();
    const step = firstStep(a, id, first.contactId);
    step.contactAttributes = {
      contactId: first.contactId,
      attributes: { customerName: "Ada", phone: "+1 555" },
    };
    await store.commit(step);
    const next = nextStep(a, id, 1);
    next.contactAttributes = { contactId: first.contactId, attributes: { phone: "+44 20" } };
    await store.commit(next);
    expect(await store.findContact(identity.channel, identity.externalId)).toEqual({
      contactId: first.contactId,
      attributes: { customerName: "Ada", phone: "+44 20" },
    });
  });
  it("appends analytics events in one statement, with time-ordered UUIDv7 ids, in the store's tenant only", async () => {
    const store = db.conversationStore(a.tenantId);
    const type = `llm.call.${randomUUID()}`;
    await store.appendAnalytics([
      {
        type,
        botId: a.botId,
        conversationId: null,
        properties: { costUsd: 0.5, note: "it's" },
        occurredAt: at,
      },
      { type, properties: { costUsd: 1 }, occurredAt: at },
    ]);
    await store.appendAnalytics([]);
    const rows = await db.system.analyticsEvent.findMany({ where: { type } });
    const seen = rows
      .map((row) => [row.tenantId, row.botId, row.properties, row.occurredAt.toISOString()])
      .sort((x, y) => (x[1] === null ? 1 : 0) - (y[1] === null ? 1 : 0));
    expect(seen).toEqual([
      [a.tenantId, a.botId, { costUsd: 0.5, note: "it's" }, at.toISOString()],
      [a.tenantId, null, { costUsd: 1 }, at.toISOString()],
    ]);
    for (const row of rows) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      // The first 48 bits are the insert's milliseconds: within a minute of now.
      const ms = Number.parseInt(row.id.replaceAll("-", "").slice(0, 12), 16);
      expect(Math.abs(ms - Date.now())).toBeLessThan(60_000);
    }
    await expect(
      db.conversationStore(b.tenantId).appendAnalytics([{ type, properties: {}, occurredAt: at }]),
    ).resolves.toBeUndefined();
    expect(await db.system.analyticsEvent.count({ where: { type, tenantId: b.tenantId } })).toBe(1);
  });

  it("links a new identity to the contact with the same verified phone or e-mail, in one round trip", async () => {
    const store = db.conversationStore(a.tenantId);
    const digits = `1650${Math.floor(Math.random() * 1e7)
      .toString()
      .padStart(7, "0")}`;
    const resolve = (channel: "web" | "whatsapp" | "slack", externalId: string, verified?: object) =>
      store.resolveContact({
        channel,
        externalId,
        contactId: randomUUID(),
        identityId: randomUUID(),
        displayName: null,
        ...(verified ? { verified } : {}),
        now: at,
      });
    const web = await resolve("web", `user-${digits}`, {
      phone: `+${digits}`,
      email: `Ann.${digits}@Example.com`,
    });
    const again = await resolve("web", `user-${digits}`, { phone: `+${digits}` });
    expect(again.contactId).toBe(web.contactId);
    // WhatsApp's sender id is the phone number's digits: the same person, the same contact.
    const whatsapp = await resolve("whatsapp", digits, { phone: digits });
    expect(whatsapp.contactId).toBe(web.contactId);
    // A verified e-mail links whatever its case.
    const slack = await resolve("slack", `U${digits}`, { email: `ann.${digits}@example.COM` });
    expect(slack.contactId).toBe(web.contactId);
    // Without a verified key in common, a new identity is a new contact.
    const stranger = await resolve("whatsapp", `${digits}9`, { phone: `${digits}9` });
    expect(stranger.contactId).not.toBe(web.contactId);
    const identities = await db.system.contactIdentity.findMany({ where: { contactId: web.contactId } });
    expect(identities.map((row) => row.channel).sort()).toEqual(["slack", "web", "whatsapp"]);
    const contact = await db.system.contact.findUniqueOrThrow({ where: { id: web.contactId } });
    expect(contact.phone).toBe(`+${digits}`);
  });
});
