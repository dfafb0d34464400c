import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceContext } from "../context";
import {
  getConversation,
  listConversations,
  sendMessage,
  startConversation,
} from "../conversations/conversations";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { rejection } from "../test-support/service-error";
import { exportResults, listResults } from "./results";

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
}, 60_000);
afterAll(() => harness?.cleanup());

type Seed = Awaited<ReturnType<typeof seedTenant>>;

/**
 * `count` conversations of the seed's bot with two messages each, in one INSERT ... SELECT per
 * table (ids sort below the pipeline's UUIDv7 ids, so pipeline conversations are the newest).
 * Conversation `i` says "order number i"; every 4th is ended, every 7th waits for an agent.
 */
async function seedConversations(seed: Seed, count: number): Promise<void> {
  // The system client: one statement of 20,000 rows outlasts a tenant transaction's time limit.
  const db = harness.deps.db.system;
  const tenantId = seed.tenant.id;
  await db.$executeRaw`
    INSERT INTO conversations (id, tenant_id, bot_id, flow_id, flow_version_id, channel, status, variables,
      turn_count, experiment_variant, started_at, last_activity_at, updated_at)
    SELECT '00000000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'), ${tenantId}, ${seed.bot.id}, ${seed.flow.id},
      ${seed.version.id}, (CASE WHEN i % 2 = 0 THEN 'web' ELSE 'api' END)::channel,
      (CASE WHEN i % 4 = 0 THEN 'ended' WHEN i % 7 = 0 THEN 'handoff' ELSE 'waiting' END)::conversation_status,
      jsonb_build_object('customerName', 'Customer ' || i, 'size', 'large'), 1,
      CASE WHEN i % 3 = 0 THEN 'b' ELSE 'a' END,
      now() - make_interval(secs => ${count} - i), now() - make_interval(secs => ${count} - i), now()
    FROM generate_series(1, ${count}) AS i`;
  await db.$executeRaw`
    INSERT INTO messages (id, tenant_id, conversation_id, seq, author, payload, text, created_at)
    SELECT '00000000-0000-7000-9000-' || lpad(to_hex(i * 2 + s), 12, '0'), ${tenantId},
      '00000000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'), s,
      (CASE WHEN s = 1 THEN 'bot' ELSE 'user' END)::message_author,
      jsonb_build_object('type', 'text', 'text', t.text), t.text, now()
    FROM generate_series(1, ${count}) AS i
    CROSS JOIN LATERAL (VALUES (1, 'Hello! What would you like?'), (2, 'I want order number ' || i)) AS t(s, text)`;
}

describe("conversation list and search", () => {
  let seed: Seed;
  let api: ServiceContext;
  beforeAll(async () => {
    seed = await seedTenant(harness.deps, "Search");
    api = seed.ctx;
    await seedConversations(seed, 10_000);
  }, 120_000);

  it("finds the one conversation among 10,000 that used a word, through the GIN index", async () => {
    const page = await listConversations(api, seed.bot.id, { q: "4243" });
    expect(page.items.map((item) => item.conversationId)).toEqual([
      `00000000-0000-7000-8000-${(4243).toString(16).padStart(12, "0")}`,
    ]);
    expect(page.items[0]).toMatchObject({ state: "active", status: "waiting", flowVersion: 1, turnCount: 1 });
    // A word in every conversation pages through all of them; no word matches nothing.
    expect((await listConversations(api, seed.bot.id, { q: "nonexistentword" })).items).toEqual([]);
    // The GIN index serves the search of older conversations (the statistics-free fenced form).
    const plan = await harness.deps.db.system.$queryRaw<{ "QUERY PLAN": string }[]>`
      EXPLAIN SELECT hit.conversation_id FROM (
        SELECT m.conversation_id, m.tenant_id FROM messages m
        WHERE m.search_vector @@ websearch_to_tsquery('simple', '4243') OFFSET 0
      ) hit WHERE hit.tenant_id = ${seed.tenant.id}`;
    expect(plan.map((row) => Object.values(row)[0]).join("\n")).toContain("messages_text_search");
  }, 60_000);

  it("finds words of messages written by the turn pipeline, newest first", async () => {
    const started = await startConversation(api, seed.bot.id, { user: { id: "zed", name: "Zebedee Quux" } });
    await sendMessage(api, started.conversationId, { text: "Zebedee" });
    const found = await listConversations(api, seed.bot.id, { q: "zebedee" });
    expect(found.items.map((item) => item.conversationId)).toEqual([started.conversationId]);
    expect(found.items[0]).toMatchObject({ contactName: "Zebedee Quux", channel: "api", state: "active" });
    const byContact = await listConversations(api, seed.bot.id, { contact: "quux" });
    expect(byContact.items.map((item) => item.conversationId)).toEqual([started.conversationId]);
    const newest = await listConversations(api, seed.bot.id, { limit: 1 });
    expect(newest.items[0]?.conversationId).toBe(started.conversationId);
  }, 60_000);

  it("filters by state, channel, variant, flow version and time, and pages without gaps", async () => {
    const waiting = await listConversations(api, seed.bot.id, {
      state: "waiting",
      limit: 100,
      channel: "web",
    });
    // i % 7 == 0, i % 4 != 0, i even: handoff with no agent on the web channel.
    expect(waiting.items.length).toBe(100);
    for (const item of waiting.items) expect(item).toMatchObject({ state: "waiting", channel: "web" });
    const ended = await listConversations(api, seed.bot.id, { state: "ended", variant: "b", limit: 5 });
    for (const item of ended.items) expect(item).toMatchObject({ state: "ended", experimentVariant: "b" });
    expect((await listConversations(api, seed.bot.id, { flowVersion: 2 })).items).toEqual([]);
    expect((await listConversations(api, seed.bot.id, { flowVersion: 1, limit: 3 })).items).toHaveLength(3);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await listConversations(api, seed.bot.id, { lastActivitySince: future })).items).toEqual([]);

    const seen = new Set<string>();
    let cursor: string | undefined;
    let previous = "z";
    for (let pages = 0; pages < 200; pages++) {
      const page = await listConversations(api, seed.bot.id, { q: "order", limit: 100, cursor });
      for (const item of page.items) {
        expect(item.conversationId < previous).toBe(true);
        previous = item.conversationId;
        seen.add(item.conversationId);
      }
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    // Every seeded conversation once (the pipeline's pizza greeting may say "order" too).
    expect([...seen].filter((id) => id.startsWith("00000000-")).length).toBe(10_000);
    expect((await rejection(listConversations(api, seed.bot.id, { cursor: "nope" }))).code).toBe(
      "invalid-cursor",
    );
  }, 120_000);
});

describe("transcript and results", () => {
  it("returns variables and the path of nodes, and the results table as JSON, CSV and XLSX", async () => {
    const seed = await seedTenant(harness.deps, "Results");
    const api = seed.ctx;
    const started = await startConversation(api, seed.bot.id, { user: { id: "r1", name: "Rita" } });
    const id = started.conversationId;
    await sendMessage(api, id, { text: "Rita" });
    await sendMessage(api, id, { choice: "large" });

    const transcript = await getConversation(api, id);
    expect(transcript.variables).toMatchObject({ customerName: "Rita", size: "large" });
    expect(transcript.path.map((step) => step.nodeId).slice(0, 3)).toEqual(["start", "greeting", "ask-name"]);
    expect(transcript.path.map((step) => step.nodeId)).toContain("ask-size");
    expect(transcript.variableChanges.map((change) => change.name)).toEqual(
      expect.arrayContaining(["customerName", "size"]),
    );
    expect(transcript).toMatchObject({ flowId: seed.flow.id, flowVersion: 1 });

    const results = await listResults(api, seed.bot.id, {});
    expect(results.availableColumns).toEqual(["customerName", "size", "phone"]);
    expect(results.items[0]).toMatchObject({
      conversationId: id,
      values: { customerName: "Rita", size: "large" },
    });
    const chosen = await listResults(api, seed.bot.id, { columns: "size" });
    expect(chosen.items[0]?.values).toEqual({ size: "large" });

    const csv = await exportResults(api, seed.bot.id, { format: "csv", columns: "customerName,size" });
    let text = "";
    for await (const chunk of csv.body) text += chunk;
    expect(text.split("\r\n")[0]).toBe(
      "conversation_id,started_at,last_activity_at,state,channel,contact,flow_version,customerName,size",
    );
    expect(text).toContain(`${id},`);
    expect(text).toContain(",Rita,large");

    const xlsx = await exportResults(api, seed.bot.id, { format: "xlsx" });
    const chunks: Buffer[] = [];
    for await (const chunk of xlsx.body) chunks.push(Buffer.from(chunk));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.concat(chunks) as never);
    const sheet = workbook.getWorksheet("Results")!;
    expect(sheet.getRow(1).getCell(8).value).toBe("customerName");
    expect(sheet.getRow(2).getCell(1).value).toBe(id);
    expect(sheet.getRow(2).getCell(8).value).toBe("Rita");

    const viewer: ServiceContext = {
      ...api,
      actor: { type: "api_key", keyId: seed.apiKey.id, scopes: ["bots:read"], label: "k" },
    };
    expect((await rejection(listResults(viewer, seed.bot.id, {}))).kind).toBe("forbidden");
  }, 60_000);
});
