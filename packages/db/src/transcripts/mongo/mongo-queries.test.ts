import { find } from "mingo";
import { describe, expect, it } from "vitest";
import type { TranscriptConversation } from "../transcript-store";
import { uuidv7 } from "../transcript-store.contract";
import { conversationDocument, expireAtOf, messageDocument } from "./mongo-documents";
import { CONVERSATION_INDEXES, MESSAGE_INDEXES } from "./mongo-indexes";
import { conversationFilter, textSearchOf } from "./mongo-queries";
import { databaseNameOf } from "./mongo-transcript-store";

// The query documents the MongoDB store sends, built from the list's filters; their meaning is
// checked by evaluating them over documents with mingo (MongoDB's query language in memory), so
// this runs without a server. The gated contract suite checks them against a real one.

const T0 = Date.parse("2026-03-01T10:00:00.000Z");
const HOUR = 3_600_000;
const ana = "0190f3a4-0000-7000-8000-00000000000a";
const bo = "0190f3a4-0000-7000-8000-00000000000b";

function row(n: number, fields: Partial<TranscriptConversation> = {}): TranscriptConversation {
  return {
    id: uuidv7(T0 + n),
    botId: "bot",
    flowId: "flow",
    flowVersionId: "v1",
    flowVersion: 1,
    channel: "web",
    status: "waiting",
    assignedUserId: null,
    experimentVariant: null,
    contactId: null,
    contactName: null,
    turnCount: 1,
    lastSeq: 1,
    startedAt: new Date(T0 + n * HOUR),
    lastActivityAt: new Date(T0 + n * HOUR + 1_000),
    endedAt: null,
    csatScore: null,
    ...fields,
  };
}

const rows = [
  row(1, { status: "ended", contactId: ana, endedAt: new Date(T0) }),
  row(2, {
    channel: "whatsapp",
    status: "handoff",
    assignedUserId: "agent",
    contactId: bo,
    flowVersion: 2,
    experimentVariant: "b",
  }),
  row(3, { status: "handoff", flowVersion: 2 }),
  row(4, { channel: "api", contactId: ana }),
  row(5, { botId: "other-bot" }),
];
const docs = [
  ...rows.map((r) => conversationDocument("tenant", r, 30)),
  conversationDocument("other-tenant", row(6), null),
];
const ids = (n: number[]) => n.map((i) => rows[i - 1]!.id);

function select(
  filters: Parameters<typeof conversationFilter>[1]["filters"],
  extra: { cursor?: string; contactIds?: string[] } = {},
) {
  const filter = conversationFilter(
    "tenant",
    { botId: "bot", filters, cursor: extra.cursor },
    extra.contactIds,
  );
  return find(docs, filter as Record<string, unknown>)
    .all()
    .map((doc) => doc._id as string)
    .sort()
    .reverse();
}

describe("conversationFilter", () => {
  it("scopes by tenant and bot, and pages older than the cursor", () => {
    expect(select({})).toEqual(ids([4, 3, 2, 1]));
    expect(select({}, { cursor: rows[2]!.id })).toEqual(ids([2, 1]));
    expect(conversationFilter("tenant", { botId: "bot", filters: {} })).toEqual({
      tenantId: "tenant",
      botId: "bot",
    });
  });

  it("filters by state, status, channel, flow version and variant as equalities", () => {
    expect(select({ state: "active" })).toEqual(ids([4]));
    expect(select({ state: "waiting" })).toEqual(ids([3]));
    expect(select({ state: "handoff" })).toEqual(ids([2]));
    expect(select({ state: "ended" })).toEqual(ids([1]));
    expect(select({ status: "handoff" })).toEqual(ids([3, 2]));
    expect(select({ channel: "web" })).toEqual(ids([3, 1]));
    expect(select({ flowVersion: 2 })).toEqual(ids([3, 2]));
    expect(select({ variant: "b" })).toEqual(ids([2]));
    expect(conversationFilter("t", { botId: "b", filters: { state: "waiting", channel: "web" } })).toEqual({
      tenantId: "t",
      botId: "b",
      state: "waiting",
      channel: "web",
    });
  });

  it("filters by contact id, and by the contacts a text matched (none matched: nothing)", () => {
    expect(select({ contactId: ana })).toEqual(ids([4, 1]));
    expect(select({ contactId: "not-a-uuid" })).toEqual([]);
    expect(select({ contact: "ana" }, { contactIds: [ana] })).toEqual(ids([4, 1]));
    expect(select({ contact: "nobody" }, { contactIds: [] })).toEqual([]);
    expect(select({ contact: "ana", contactId: bo }, { contactIds: [ana] })).toEqual([]);
  });

  it("filters by started and last-activity ranges (since inclusive, until exclusive)", () => {
    const at = (n: number) => new Date(T0 + n * HOUR).toISOString();
    expect(select({ since: at(2), until: at(4) })).toEqual(ids([3, 2]));
    expect(select({ lastActivitySince: new Date(T0 + 3 * HOUR + 1_000).toISOString() })).toEqual(ids([4, 3]));
    expect(select({ lastActivityUntil: new Date(T0 + 2 * HOUR + 1_000).toISOString() })).toEqual(ids([1]));
    expect(conversationFilter("t", { botId: "b", filters: { since: at(2) } }).startedAt).toEqual({
      $gte: new Date(at(2)),
    });
  });
});

describe("textSearchOf", () => {
  it("quotes every word so all must occur (MongoDB ANDs phrases, ORs bare words)", () => {
    expect(textSearchOf("pizza lisbon")).toBe('"pizza" "lisbon"');
    expect(textSearchOf("  Pizza  ")).toBe('"Pizza"');
  });

  it("keeps phrases and exclusions, and maps `or` to MongoDB's OR of bare words", () => {
    expect(textSearchOf('"number 1234" pizza')).toBe('"number 1234" "pizza"');
    expect(textSearchOf("pizza -margherita")).toBe('"pizza" -margherita');
    expect(textSearchOf('pizza -"deep dish"')).toBe('"pizza" -deep -dish');
    expect(textSearchOf("pizza or pasta")).toBe("pizza pasta");
    expect(textSearchOf('"unclosed phrase')).toBe('"unclosed phrase"');
  });

  it("drops punctuation the text index does not index; nothing left means no search", () => {
    expect(textSearchOf('say "hi"!')).toBe('"say" "hi"');
    expect(textSearchOf("e-mail")).toBe('"e mail"');
    expect(textSearchOf("-only")).toBeNull();
    expect(textSearchOf('!!! ""')).toBeNull();
  });
});

describe("documents", () => {
  it("derives the state and the TTL expiry: ended conversations from last activity, messages from creation", () => {
    const ended = conversationDocument("t", rows[0]!, 30);
    expect(ended).toMatchObject({ _id: rows[0]!.id, tenantId: "t", state: "ended" });
    expect(ended.expireAt).toEqual(new Date(rows[0]!.lastActivityAt.getTime() + 30 * 24 * HOUR));
    expect(conversationDocument("t", rows[1]!, 30)).toMatchObject({ state: "handoff", expireAt: null });
    expect(conversationDocument("t", rows[2]!, 30).state).toBe("waiting");
    const message = messageDocument(
      "t",
      {
        id: "m1",
        conversationId: "c1",
        seq: 7,
        author: "user",
        payload: { type: "text", text: "hi" },
        text: "hi",
        clientMessageId: null,
        createdAt: new Date(T0),
      },
      2,
    );
    expect(message).toMatchObject({ _id: "c1:7", messageId: "m1", conversationId: "c1", seq: 7 });
    expect(message.expireAt).toEqual(new Date(T0 + 48 * HOUR));
    expect(expireAtOf(new Date(T0), null)).toBeNull();
    expect(expireAtOf(new Date(T0), 0)).toBeNull();
  });

  it("every query index leads with the tenant; TTL indexes expire at expireAt", () => {
    for (const index of [...CONVERSATION_INDEXES, ...MESSAGE_INDEXES]) {
      const keys = Object.keys(index.key);
      if (index.expireAfterSeconds !== undefined) {
        expect(keys).toEqual(["expireAt"]);
        expect(index.expireAfterSeconds).toBe(0);
      } else expect(keys[0]).toBe("tenantId");
    }
  });

  it("reads the database name from the URL's path", () => {
    expect(databaseNameOf("mongodb://a:27017,b:27017/archive?replicaSet=rs0")).toBe("archive");
    expect(databaseNameOf("mongodb+srv://user:pw@cluster.example.net/parley_eu")).toBe("parley_eu");
    expect(databaseNameOf("mongodb://localhost:27017")).toBe("parley");
    expect(databaseNameOf("mongodb://localhost:27017/?retryWrites=true")).toBe("parley");
  });
});
