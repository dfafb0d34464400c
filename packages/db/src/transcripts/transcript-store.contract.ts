import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../client/open-database";
import type {
  TranscriptConversation,
  TranscriptMessage,
  TranscriptQuery,
  TranscriptStore,
} from "./transcript-store";

/** What a run of the contract needs: Postgres (fixtures, contacts) and the store under test. */
export interface TranscriptContractSetup {
  /** The Postgres the fixtures (tenants, bots, versions, contacts) are seeded in. */
  db: Database;
  store: TranscriptStore;
  cleanup(): Promise<void>;
}

/** A UUIDv7 at `ms` (time-ordered ids: newest first is id descending, as in production). */
export function uuidv7(ms: number): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const T0 = Date.parse("2026-03-01T10:00:00.000Z");
const HOUR = 60 * 60 * 1000;
let clock = T0;
/** A fresh time-ordered id: later calls sort after earlier ones. */
const nextId = () => {
  clock += 1;
  return uuidv7(clock);
};

/** A tenant in Postgres with two bots, versions 1 and 2 of the main bot's flow and two contacts. */
async function seedTenant(db: Database, label: string) {
  const slug = `${label}-${randomBytes(4).toString("hex")}`;
  const tenant = await db.system.tenant.create({ data: { name: slug, slug } });
  const tenantId = tenant.id;
  const bot = async (name: string) =>
    db.system.bot.create({
      data: { tenantId, name, publishableKey: `pk_${slug}_${name}`, allowedOrigins: [] },
    });
  const [main, other] = [await bot("main"), await bot("other")];
  const flow = await db.system.flow.create({ data: { tenantId, botId: main.id, name: "main", draft: {} } });
  const version = (n: number) =>
    db.system.flowVersion.create({
      data: { tenantId, botId: main.id, flowId: flow.id, version: n, document: {}, status: "draft" },
    });
  const [v1, v2] = [await version(1), await version(2)];
  const otherFlow = await db.system.flow.create({
    data: { tenantId, botId: other.id, name: "x", draft: {} },
  });
  const otherVersion = await db.system.flowVersion.create({
    data: { tenantId, botId: other.id, flowId: otherFlow.id, version: 1, document: {}, status: "draft" },
  });
  const contact = (data: { displayName: string; email?: string; phone?: string }) =>
    db.system.contact.create({ data: { tenantId, ...data } });
  const ana = await contact({ displayName: "Ana Lisbon", email: "ana@example.com" });
  const bo = await contact({ displayName: "Bo", phone: "+351912345678" });
  return { tenantId, bot: main, flow, v1, v2, other, otherFlow, otherVersion, ana, bo };
}

type Tenant = Awaited<ReturnType<typeof seedTenant>>;

/** A conversation of the main bot (version 1, web, active, no contact unless overridden). */
function conversation(t: Tenant, fields: Partial<TranscriptConversation> = {}): TranscriptConversation {
  return {
    id: nextId(),
    botId: t.bot.id,
    flowId: t.flow.id,
    flowVersionId: t.v1.id,
    flowVersion: 1,
    channel: "web",
    status: "waiting",
    assignedUserId: null,
    experimentVariant: null,
    contactId: null,
    contactName: null,
    turnCount: 1,
    lastSeq: 0,
    startedAt: new Date(clock),
    lastActivityAt: new Date(clock + HOUR),
    endedAt: null,
    csatScore: null,
    ...fields,
  };
}

/** Messages with these texts (user, bot alternating), seq from 1, a minute apart from `at`. */
function messagesOf(conversationId: string, texts: readonly string[], at = T0): TranscriptMessage[] {
  return texts.map((text, index) => ({
    id: nextId(),
    conversationId,
    seq: index + 1,
    author: index % 2 === 0 ? "user" : "bot",
    payload: { type: "text", text },
    text,
    clientMessageId: index % 2 === 0 ? `client-${conversationId}-${index}` : null,
    createdAt: new Date(at + index * 60_000),
  }));
}

/**
 * Saves the conversation, appends its messages, then saves it again with lastSeq = their count (the
 * row first: Postgres's messages reference it).
 */
async function put(
  store: TranscriptStore,
  tenantId: string,
  c: TranscriptConversation,
  texts: readonly string[],
  at?: number,
) {
  const messages = messagesOf(c.id, texts, at);
  await store.saveConversation(tenantId, { ...c, lastSeq: 0 });
  await store.appendMessages(tenantId, messages);
  await store.saveConversation(tenantId, { ...c, lastSeq: messages.length });
  return { ...c, lastSeq: messages.length, messages };
}

/**
 * The transcript-store contract: what the product reads and writes of transcripts behaves the same
 * whichever store holds them. Run by postgres-transcript-store.test.ts (always) and
 * mongo-transcript-store.test.ts (with MONGODB_URL).
 */
export function describeTranscriptStoreContract(name: string, open: () => Promise<TranscriptContractSetup>) {
  describe(`TranscriptStore contract: ${name}`, () => {
    let setup: TranscriptContractSetup;
    let store: TranscriptStore;
    let t: Tenant;
    let stranger: Tenant;
    const c: Record<"c1" | "c2" | "c3" | "c4" | "elsewhere", TranscriptConversation> = {} as never;

    const list = async (
      filters: TranscriptQuery["filters"] = {},
      page: { limit?: number; cursor?: string } = {},
    ) => {
      const result = await store.listConversations(t.tenantId, {
        botId: t.bot.id,
        filters,
        limit: page.limit ?? 20,
        cursor: page.cursor,
      });
      return result;
    };
    const ids = async (filters: TranscriptQuery["filters"] = {}) =>
      (await list(filters)).items.map((i) => i.conversationId);

    beforeAll(async () => {
      setup = await open();
      store = setup.store;
      await store.prepare();
      t = await seedTenant(setup.db, "contract");
      stranger = await seedTenant(setup.db, "stranger");
      c.c1 = await put(
        store,
        t.tenantId,
        conversation(t, {
          status: "ended",
          contactId: t.ana.id,
          contactName: "Ana Lisbon",
          endedAt: new Date(T0 + 2 * HOUR),
          csatScore: 5,
        }),
        ["I live in Lisbon", "Lisbon is lovely"],
      );
      c.c2 = await put(
        store,
        t.tenantId,
        conversation(t, {
          channel: "whatsapp",
          status: "handoff",
          assignedUserId: nextId(),
          contactId: t.bo.id,
          contactName: "Bo",
          flowVersionId: t.v2.id,
          flowVersion: 2,
          experimentVariant: "b",
          turnCount: 3,
        }),
        ["pizza number 1234", "order received"],
      );
      c.c3 = await put(
        store,
        t.tenantId,
        conversation(t, { status: "handoff", flowVersionId: t.v2.id, flowVersion: 2 }),
        ["hello world"],
      );
      c.c4 = await put(
        store,
        t.tenantId,
        conversation(t, { channel: "api", contactId: t.ana.id, contactName: "Ana Lisbon" }),
        ["pizza margherita please", "deliver to lisbon"],
      );
      // Another bot of the tenant, and another tenant, both mentioning the words searched.
      c.elsewhere = await put(
        store,
        t.tenantId,
        conversation(t, { botId: t.other.id, flowId: t.otherFlow.id, flowVersionId: t.otherVersion.id }),
        ["lisbon pizza"],
      );
      await put(
        store,
        stranger.tenantId,
        conversation(stranger, { contactId: stranger.ana.id, contactName: "Ana Lisbon" }),
        ["lisbon pizza"],
      );
    });

    afterAll(async () => {
      await setup?.cleanup();
    });

    it("reads a conversation's summary row as the contract's list row", async () => {
      expect(await store.getConversation(t.tenantId, c.c2.id)).toEqual({
        conversationId: c.c2.id,
        botId: t.bot.id,
        status: "handoff",
        state: "handoff",
        channel: "whatsapp",
        flowVersionId: t.v2.id,
        flowVersion: 2,
        experimentVariant: "b",
        contactId: t.bo.id,
        contactName: "Bo",
        turnCount: 3,
        startedAt: c.c2.startedAt.toISOString(),
        lastActivityAt: c.c2.lastActivityAt.toISOString(),
        endedAt: null,
        csatScore: null,
      });
      const ended = await store.getConversation(t.tenantId, c.c1.id);
      expect(ended).toMatchObject({
        state: "ended",
        endedAt: new Date(T0 + 2 * HOUR).toISOString(),
        csatScore: 5,
      });
      expect(await store.getConversation(t.tenantId, nextId())).toBeNull();
    });

    it("reads a transcript in seq order, a page at a time", async () => {
      const all = await store.readTranscript(t.tenantId, c.c1.id);
      expect(all).toEqual({
        entries: [
          {
            seq: 1,
            author: "user",
            createdAt: new Date(T0).toISOString(),
            message: { type: "text", text: "I live in Lisbon" },
          },
          {
            seq: 2,
            author: "bot",
            createdAt: new Date(T0 + 60_000).toISOString(),
            message: { type: "text", text: "Lisbon is lovely" },
          },
        ],
        nextSeq: null,
      });
      const first = await store.readTranscript(t.tenantId, c.c1.id, { limit: 1 });
      expect(first.entries.map((e) => e.seq)).toEqual([1]);
      expect(first.nextSeq).toBe(1);
      const second = await store.readTranscript(t.tenantId, c.c1.id, { afterSeq: 1, limit: 1 });
      expect(second).toMatchObject({ entries: [{ seq: 2 }], nextSeq: null });
    });

    it("appends idempotently: by message id, by seq and by the sender's message id", async () => {
      const target = await put(
        store,
        t.tenantId,
        conversation(t, { botId: t.other.id, flowId: t.otherFlow.id, flowVersionId: t.otherVersion.id }),
        ["one", "two"],
      );
      const [first, second] = target.messages;
      expect(await store.appendMessages(t.tenantId, target.messages)).toEqual({ inserted: 0 });
      const retried = { ...first!, id: nextId(), seq: 3 };
      const sameSeq = { ...second!, id: nextId(), text: "other", payload: { type: "text", text: "other" } };
      const sameId = { ...second!, seq: 4, clientMessageId: null };
      const fresh = {
        ...second!,
        id: nextId(),
        seq: 5,
        clientMessageId: "new",
        text: "three",
        payload: { type: "text", text: "three" },
      };
      expect(await store.appendMessages(t.tenantId, [retried, sameSeq, sameId, fresh])).toEqual({
        inserted: 1,
      });
      const transcript = await store.readTranscript(t.tenantId, target.id);
      expect(transcript.entries.map((e) => [e.seq, (e.message as { text: string }).text])).toEqual([
        [1, "one"],
        [2, "two"],
        [5, "three"],
      ]);
      expect(await store.storedSeq(t.tenantId, target.id)).toBe(2);
      expect(await store.storedSeq(t.tenantId, nextId())).toBeNull();
    });

    it("keeps the newest copy of a conversation row (an older one replayed is ignored)", async () => {
      const row = conversation(t, {
        botId: t.other.id,
        flowId: t.otherFlow.id,
        flowVersionId: t.otherVersion.id,
      });
      await store.saveConversation(t.tenantId, {
        ...row,
        lastSeq: 4,
        status: "ended",
        endedAt: new Date(T0),
      });
      await store.saveConversation(t.tenantId, { ...row, lastSeq: 2, status: "waiting" });
      expect(await store.getConversation(t.tenantId, row.id)).toMatchObject({ status: "ended" });
      expect(await store.storedSeq(t.tenantId, row.id)).toBe(4);
      await store.saveConversation(t.tenantId, {
        ...row,
        lastSeq: 5,
        status: "handoff",
        endedAt: null,
        turnCount: 7,
      });
      expect(await store.getConversation(t.tenantId, row.id)).toMatchObject({
        status: "handoff",
        turnCount: 7,
      });
    });

    it("lists a bot's conversations newest first, paged by cursor", async () => {
      const first = await list({}, { limit: 2 });
      expect(first.items.map((i) => i.conversationId)).toEqual([c.c4.id, c.c3.id]);
      expect(first.nextCursor).toBe(c.c3.id);
      const second = await list({}, { limit: 2, cursor: first.nextCursor! });
      expect(second.items.map((i) => i.conversationId)).toEqual([c.c2.id, c.c1.id]);
      expect(second.nextCursor).toBeNull();
      expect(first.items[0]).toMatchObject({
        botId: t.bot.id,
        state: "active",
        channel: "api",
        contactName: "Ana Lisbon",
      });
    });

    it("filters by state, status, channel, contact, flow version, variant and time ranges", async () => {
      expect(await ids({ state: "active" })).toEqual([c.c4.id]);
      expect(await ids({ state: "waiting" })).toEqual([c.c3.id]);
      expect(await ids({ state: "handoff" })).toEqual([c.c2.id]);
      expect(await ids({ state: "ended" })).toEqual([c.c1.id]);
      expect(await ids({ status: "handoff" })).toEqual([c.c3.id, c.c2.id]);
      expect(await ids({ channel: "web" })).toEqual([c.c3.id, c.c1.id]);
      expect(await ids({ contactId: t.ana.id })).toEqual([c.c4.id, c.c1.id]);
      expect(await ids({ contactId: "not-a-uuid" })).toEqual([]);
      expect(await ids({ contact: "lisb" })).toEqual([c.c4.id, c.c1.id]);
      expect(await ids({ contact: "EXAMPLE.com" })).toEqual([c.c4.id, c.c1.id]);
      expect(await ids({ contact: "35191" })).toEqual([c.c2.id]);
      expect(await ids({ contact: "nobody" })).toEqual([]);
      expect(await ids({ flowVersion: 2 })).toEqual([c.c3.id, c.c2.id]);
      expect(await ids({ variant: "b" })).toEqual([c.c2.id]);
      const iso = (row: TranscriptConversation) => row.startedAt.toISOString();
      expect(await ids({ since: iso(c.c2), until: iso(c.c4) })).toEqual([c.c3.id, c.c2.id]);
      const active = (row: TranscriptConversation) => row.lastActivityAt.toISOString();
      expect(await ids({ lastActivitySince: active(c.c3) })).toEqual([c.c4.id, c.c3.id]);
      expect(await ids({ lastActivityUntil: active(c.c2) })).toEqual([c.c1.id]);
      expect(await ids({ state: "handoff", channel: "web" })).toEqual([]);
    });

    it("searches message text: every word in one message, phrases, exclusions, any case", async () => {
      expect(await ids({ q: "lisbon" })).toEqual([c.c4.id, c.c1.id]);
      expect(await ids({ q: "LISBON" })).toEqual([c.c4.id, c.c1.id]);
      expect(await ids({ q: "pizza" })).toEqual([c.c4.id, c.c2.id]);
      expect(await ids({ q: "pizza lisbon" })).toEqual([]);
      expect(await ids({ q: "pizza -margherita" })).toEqual([c.c2.id]);
      expect(await ids({ q: '"number 1234"' })).toEqual([c.c2.id]);
      expect(await ids({ q: '"1234 number"' })).toEqual([]);
      expect(await ids({ q: "nothing" })).toEqual([]);
      expect(await ids({ q: "lisbon", contactId: t.ana.id, channel: "web" })).toEqual([c.c1.id]);
      const first = await list({ q: "pizza" }, { limit: 1 });
      expect(first.items.map((i) => i.conversationId)).toEqual([c.c4.id]);
      const second = await list({ q: "pizza" }, { limit: 1, cursor: first.nextCursor! });
      expect(second.items.map((i) => i.conversationId)).toEqual([c.c2.id]);
      expect(second.nextCursor).toBeNull();
    });

    it("shows the contact's current name", async () => {
      await setup.db.system.contact.update({ where: { id: t.bo.id }, data: { displayName: "Bo Renamed" } });
      expect((await store.getConversation(t.tenantId, c.c2.id))?.contactName).toBe("Bo Renamed");
      expect((await list({ contactId: t.bo.id })).items[0]?.contactName).toBe("Bo Renamed");
    });

    it("keeps tenants apart", async () => {
      expect(await store.getConversation(stranger.tenantId, c.c1.id)).toBeNull();
      expect((await store.readTranscript(stranger.tenantId, c.c1.id)).entries).toEqual([]);
      const theirs = await store.listConversations(stranger.tenantId, {
        botId: t.bot.id,
        filters: {},
        limit: 10,
      });
      expect(theirs.items).toEqual([]);
      await expect(store.getConversation("", c.c1.id)).rejects.toThrow(/tenant/i);
    });

    it("purges by retention: old messages, and ended conversations last active before the cutoff", async () => {
      const p = await seedTenant(setup.db, "retention");
      const old = Date.parse("2020-01-01T00:00:00.000Z");
      const oldEnded = await put(
        store,
        p.tenantId,
        conversation(p, {
          status: "ended",
          startedAt: new Date(old),
          lastActivityAt: new Date(old + HOUR),
          endedAt: new Date(old + HOUR),
        }),
        ["a", "b"],
        old,
      );
      const oldActive = await put(
        store,
        p.tenantId,
        conversation(p, { startedAt: new Date(old), lastActivityAt: new Date(T0) }),
        ["c", "d"],
        old,
      );
      await store.appendMessages(p.tenantId, [{ ...messagesOf(oldActive.id, ["x", "y", "recent"], T0)[2]! }]);
      const recent = await put(
        store,
        p.tenantId,
        conversation(p, { status: "ended", endedAt: new Date(T0) }),
        ["e"],
      );
      const removed = await store.purgeExpired(p.tenantId, new Date("2025-01-01T00:00:00.000Z"));
      expect(removed).toEqual({ conversations: 1, messages: 4 });
      expect(await store.getConversation(p.tenantId, oldEnded.id)).toBeNull();
      expect(await store.getConversation(p.tenantId, oldActive.id)).not.toBeNull();
      expect((await store.readTranscript(p.tenantId, oldActive.id)).entries.map((e) => e.seq)).toEqual([3]);
      expect((await store.readTranscript(p.tenantId, recent.id)).entries).toHaveLength(1);
      // Another tenant's old messages are not touched.
      expect((await store.readTranscript(t.tenantId, c.c1.id)).entries).toHaveLength(2);
    });

    it("erases a contact's conversations with their messages (GDPR)", async () => {
      const e = await seedTenant(setup.db, "erase");
      const first = await put(
        store,
        e.tenantId,
        conversation(e, { contactId: e.ana.id, contactName: "Ana Lisbon" }),
        ["a", "b"],
      );
      const second = await put(
        store,
        e.tenantId,
        conversation(e, { contactId: e.ana.id, contactName: "Ana Lisbon" }),
        ["c"],
      );
      const kept = await put(store, e.tenantId, conversation(e, { contactId: e.bo.id, contactName: "Bo" }), [
        "d",
      ]);
      expect(await store.eraseContact(e.tenantId, e.ana.id)).toEqual({ conversations: 2, messages: 3 });
      expect(await store.getConversation(e.tenantId, first.id)).toBeNull();
      expect((await store.readTranscript(e.tenantId, second.id)).entries).toEqual([]);
      const left = await store.listConversations(e.tenantId, { botId: e.bot.id, filters: {}, limit: 10 });
      expect(left.items.map((i) => i.conversationId)).toEqual([kept.id]);
      expect(
        await store.listConversations(e.tenantId, { botId: e.bot.id, filters: { q: "a" }, limit: 10 }),
      ).toEqual({
        items: [],
        nextCursor: null,
      });
      expect(await store.removeConversations(e.tenantId, [kept.id])).toEqual({
        conversations: 1,
        messages: 1,
      });
      expect(await store.eraseContact(e.tenantId, e.ana.id)).toEqual({ conversations: 0, messages: 0 });
    });
  });
}
