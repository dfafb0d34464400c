import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  createFlow,
  endFromInbox,
  publishFlow,
  type ServiceContext,
  sendMessage,
  startConversation,
  submitCsat,
  systemContext,
} from "@parley/core";
import { createInfrastructure, type Infrastructure } from "@parley/infra";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { choose } from "./choose";
import {
  launchChromium,
  repoRoot,
  type StudioStack,
  signInAsOwner,
  startStudioStack,
  withStackLog,
} from "./stack";

/**
 * The conversations tab, the transcript page and the contacts pages in Debian's Chromium, over a
 * bot with a few identified conversations (seeded through core, as the REST API would) among
 * 2,000 anonymous ones (seeded set-based in SQL): the table, a filter, full-text search finding
 * the one conversation; a transcript with its messages, variables, path and CSAT, and "Take over"
 * landing in the inbox with it open; a contact's profile, edit, merge, JSON export and erasure.
 * With PARLEY_E2E_SCREENSHOTS=1 it also writes docs/conversations.png, docs/inbox.png and
 * docs/contacts.png.
 */
const flow = {
  version: 1,
  id: "conversations-e2e",
  name: "Support",
  variables: [{ name: "question", type: "string", scope: "conversation" }],
  settings: { language: "en", typingDelayMs: 0 },
  nodes: [
    { id: "start", kind: "start", position: { x: 0, y: 0 }, data: {} },
    {
      id: "ask",
      kind: "ask",
      position: { x: 0, y: 100 },
      label: "Ask the question",
      data: { prompt: "How can I help?", input: { type: "text" }, saveTo: "question", maxRetries: 1 },
    },
    {
      id: "human",
      kind: "handoff",
      position: { x: 0, y: 200 },
      data: { message: "Connecting you to a person.", queue: "support", reason: "Asked: {{ question }}" },
    },
    { id: "done", kind: "end", position: { x: 0, y: 300 }, data: {} },
  ],
  edges: [
    { id: "e1", source: "start", sourceHandle: "next", target: "ask" },
    { id: "e2", source: "ask", sourceHandle: "next", target: "human" },
    { id: "e3", source: "ask", sourceHandle: "error", target: "done" },
    { id: "e4", source: "human", sourceHandle: "next", target: "done" },
  ],
};

const ANONYMOUS = 2_000;
const screenshots = process.env.PARLEY_E2E_SCREENSHOTS === "1";

let stack: StudioStack;
let browser: Browser;
let page: Page;
let infra: Infrastructure;
let tenantId: string;
/** Conversation ids by who had them. */
const ids: Record<"ann" | "bob" | "robert" | "cara", string> = { ann: "", bob: "", robert: "", cara: "" };

/** Starts a conversation for a channel user and, with `says`, answers the bot's question (a handoff). */
async function talk(ctx: ServiceContext, user: { id: string; name: string }, says?: string) {
  const started = await startConversation(ctx, stack.botId, { user, channel: "api" });
  if (says) await sendMessage(ctx, started.conversationId, { text: says });
  return started.conversationId;
}

beforeAll(async () => {
  stack = await startStudioStack({ withRuntime: false });
  infra = await createInfrastructure({ dataDir: "/tmp", withQueue: false });
  const bot = await stack.db.db.system.bot.findFirstOrThrow({ where: { id: stack.botId } });
  tenantId = bot.tenantId;
  const ctx = systemContext({ db: stack.db.db, infra }, tenantId, "e2e");
  const created = await createFlow(ctx, { botId: stack.botId, document: flow });
  await publishFlow(ctx, created.id, {});
  const version = await stack.db.db.system.flowVersion.findFirstOrThrow({ where: { flowId: created.id } });
  // The haystack first (older ids), set-based: each anonymous conversation says one ordinary thing.
  await stack.db.db.system.$executeRawUnsafe(
    `INSERT INTO conversations (id, tenant_id, bot_id, flow_id, flow_version_id, channel, status,
       last_seq, turn_count, variables, started_at, last_activity_at, updated_at)
     SELECT '00000000-0000-7000-8000-' || lpad(to_hex(n), 12, '0'), $1, $2, $3, $4, 'web', 'ended', 2, 1,
       '{}', now() - interval '2 days' + make_interval(secs => n), now() - interval '2 days' + make_interval(secs => n), now()
     FROM generate_series(1, ${ANONYMOUS}) n`,
    tenantId,
    stack.botId,
    created.id,
    version.id,
  );
  await stack.db.db.system.$executeRawUnsafe(
    `INSERT INTO messages (id, tenant_id, conversation_id, seq, author, payload, text, created_at)
     SELECT gen_random_uuid()::text, $1, '00000000-0000-7000-8000-' || lpad(to_hex(c), 12, '0'), s,
       (CASE WHEN s = 2 THEN 'user' ELSE 'bot' END)::message_author,
       jsonb_build_object('type', 'text', 'text', t.text), t.text, now() - interval '2 days'
     FROM generate_series(1, ${ANONYMOUS}) c, generate_series(1, 2) s,
       LATERAL (SELECT CASE WHEN s = 2 THEN 'Where is my order number ' || c ELSE 'How can I help?' END AS text) t`,
    tenantId,
  );
  ids.ann = await talk(ctx, { id: "ann-1", name: "Ann Lee" }, "My parcel to Lisbon is late");
  await endFromInbox(ctx, ids.ann);
  await submitCsat(
    { deps: ctx.deps, tenantId, actor: { type: "widget", botId: stack.botId, label: "widget" } },
    ids.ann,
    { score: 5, comment: "Lovely help" },
  );
  ids.bob = await talk(ctx, { id: "bob-1", name: "Bob Stone" }, "Question about invoices");
  ids.robert = await talk(ctx, { id: "bob-2", name: "Robert Stone" }, "Hello again about invoices");
  ids.cara = await talk(ctx, { id: "cara-1", name: "Cara Diaz" });
  browser = await launchChromium();
  page = await (
    await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true })
  ).newPage();
  await signInAsOwner(page, stack);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await infra?.close();
  await stack?.close();
});

/** The names in the first column of the conversations table. */
const tableContacts = () => page.locator(".conversation-table tbody tr td:first-child").allTextContents();

describe("conversations, transcripts and contacts in the studio", () => {
  it("lists conversations newest first, filters them and finds one by the words of its messages", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots/${stack.botId}/conversations`);
      await expect.poll(tableContacts, { timeout: 30_000 }).toHaveLength(25);
      const first = await tableContacts();
      expect(first.slice(0, 4)).toEqual(["Cara Diaz", "Robert Stone", "Bob Stone", "Ann Lee"]);
      expect(first[4]).toBe("Anonymous visitor");
      const annRow = page.locator(".conversation-table tbody tr", { hasText: "Ann Lee" });
      expect(await annRow.textContent()).toContain("5/5");
      expect(await annRow.textContent()).toContain("ended");
      if (screenshots) await page.screenshot({ path: join(repoRoot, "docs/conversations.png") });

      // A filter: waiting for a human (Bob and Robert were handed off, nobody claimed them).
      await choose(page, page.getByRole("combobox", { name: "Status" }), "waiting");
      await page.click("form.conversation-filters button[type=submit]");
      await expect.poll(tableContacts, { timeout: 10_000 }).toEqual(["Robert Stone", "Bob Stone"]);

      // Full-text search over the messages: one of 2,004 conversations said "Lisbon".
      await page.click("button:has-text('Clear filters')");
      await expect.poll(async () => (await tableContacts()).length, { timeout: 10_000 }).toBe(25);
      await page.fill("input[aria-label='Search messages']", "lisbon");
      await page.click("form.conversation-filters button[type=submit]");
      await expect.poll(tableContacts, { timeout: 10_000 }).toEqual(["Ann Lee"]);
      // A word of an old anonymous conversation: exactly that one.
      await page.fill("input[aria-label='Search messages']", "number 1234");
      await page.click("form.conversation-filters button[type=submit]");
      await expect.poll(tableContacts, { timeout: 10_000 }).toEqual(["Anonymous visitor"]);
      await page.click(".conversation-table tbody tr td:first-child a");
      await expect
        .poll(() => page.locator("section[aria-label='Transcript']").textContent(), { timeout: 10_000 })
        .toContain("Where is my order number 1234");
    });
  }, 120_000);

  it("shows a transcript with its messages, variables, path and CSAT", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots/${stack.botId}/conversations/${ids.ann}`);
      const transcript = page.locator("section[aria-label='Transcript']");
      await expect.poll(() => transcript.textContent(), { timeout: 30_000 }).toContain("How can I help?");
      const chat = (await transcript.textContent()) ?? "";
      expect(chat).toContain("My parcel to Lisbon is late");
      expect(chat).toContain("Handed off to a human (queue support)");
      expect(chat).toContain("Conversation ended (closed-by-agent)");
      expect(chat).toContain("Set question");
      expect(await page.getByRole("table", { name: "Variables" }).textContent()).toContain(
        "questionMy parcel to Lisbon is late",
      );
      const path = await page.locator("ol[aria-label='Nodes visited'] li").allTextContents();
      expect(path.map((step) => step.split(" ")[0])).toEqual(expect.arrayContaining(["ask", "human"]));
      expect(await page.locator("[data-testid='transcript-csat']").textContent()).toContain(
        "(5/5) — “Lovely help”",
      );
      // Ended: nothing to take over.
      expect(await page.locator("button:has-text('Take over')").count()).toBe(0);
      const canvas = await page.locator("a:has-text('Show the path on the canvas')").getAttribute("href");
      expect(canvas).toMatch(/\?highlight=.*ask.*human/);
    });
  }, 120_000);

  it("takes over an active conversation from its transcript and lands in the inbox with it open", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots/${stack.botId}/conversations/${ids.cara}`);
      await expect
        .poll(() => page.locator("section[aria-label='Transcript']").textContent(), { timeout: 30_000 })
        .toContain("How can I help?");
      await page.click("button:has-text('Take over')");
      await page.waitForURL(/\/inbox\?open=/);
      const pane = page.locator("[data-testid='conversation-pane']");
      await expect
        .poll(() => page.textContent("[data-testid='pane-status']"), { timeout: 15_000 })
        .toBe("handoff");
      await expect
        .poll(() => page.textContent("[data-testid='pane-assignee']"), { timeout: 10_000 })
        .toContain("assigned to you");
      await expect
        .poll(() => pane.textContent(), { timeout: 10_000 })
        .toContain("An agent joined the conversation");
      const state = await stack.db.db.system.conversation.findFirstOrThrow({ where: { id: ids.cara } });
      expect(state.status).toBe("handoff");
      await page.fill("[data-testid='reply-text']", "Hi Cara, I am here to help.");
      await page.click("button:has-text('Send')");
      await expect
        .poll(() => pane.textContent(), { timeout: 10_000 })
        .toContain("Hi Cara, I am here to help.");
      await page.fill("input[aria-label='Internal note']", "Returning customer");
      await page.click("button:has-text('Add note')");
      await expect
        .poll(() => page.textContent("[data-testid='notes']"), { timeout: 10_000 })
        .toContain("Returning customer");
      await expect.poll(() => page.inputValue("input[aria-label='Internal note']")).toBe("");
      if (screenshots) await page.screenshot({ path: join(repoRoot, "docs/inbox.png") });
      // Audited: who took it over, by id only.
      const audit = await stack.db.db.system.auditLogEntry.findMany({
        where: { tenantId, targetId: ids.cara },
        orderBy: { createdAt: "asc" },
      });
      expect(audit.map((entry) => entry.action)).toEqual(["conversation.takeover", "conversation.note"]);
      expect(JSON.stringify(audit)).not.toContain("Returning customer");
    });
  }, 120_000);

  it("shows a contact's profile, edits it, merges a duplicate, exports it and erases it", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/contacts`);
      const names = () => page.locator("table tbody tr td:first-child").allTextContents();
      await expect
        .poll(names, { timeout: 30_000 })
        .toEqual(expect.arrayContaining(["Ann Lee", "Bob Stone", "Robert Stone", "Cara Diaz"]));
      await page.click("a:has-text('Bob Stone')");
      await expect.poll(() => page.textContent("h1"), { timeout: 15_000 }).toBe("Bob Stone");
      expect(await page.textContent("main")).toContain("api: bob-1");

      // Edit: e-mail and an attribute; saved and shown after a reload.
      await page.fill("#contact-email", "bob@example.com");
      await page.fill("form[aria-label='Contact details'] textarea", '{"plan": "pro"}');
      await page.click("form[aria-label='Contact details'] button[type=submit]");
      await expect
        .poll(
          async () =>
            (await stack.db.db.system.contact.findFirst({ where: { displayName: "Bob Stone" } }))?.email,
        )
        .toBe("bob@example.com");
      await page.reload();
      await expect
        .poll(() => page.inputValue("#contact-email"), {
          timeout: 15_000,
        })
        .toBe("bob@example.com");

      // Merge Robert (the same person on another id) into Bob: both conversations and identities.
      const robert = await stack.db.db.system.contact.findFirstOrThrow({
        where: { displayName: "Robert Stone" },
      });
      await page.fill("form[aria-label='Merge contacts'] input", robert.id);
      await page.click("form[aria-label='Merge contacts'] button[type=submit]");
      await expect.poll(() => page.textContent("main"), { timeout: 15_000 }).toContain("Merged.");
      await expect.poll(() => page.textContent("main"), { timeout: 15_000 }).toContain("api: bob-2");
      expect(await page.locator("main table tbody tr").count()).toBe(2);
      if (screenshots) await page.screenshot({ path: join(repoRoot, "docs/contacts.png"), fullPage: true });

      // Export: one JSON file with the profile and every conversation's messages.
      const download = page.waitForEvent("download");
      await page.click("button:has-text('Export everything (JSON)')");
      const file = await (await download).path();
      const exported = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      const text = JSON.stringify(exported);
      expect(text).toContain("bob@example.com");
      expect(text).toContain("Question about invoices");
      expect(text).toContain("Hello again about invoices");

      // Erase: only after typing "erase"; then no trace of Bob, his conversations or messages.
      const bob = await stack.db.db.system.contact.findFirstOrThrow({ where: { displayName: "Bob Stone" } });
      const eraseButton = page.locator("form[aria-label='Erase contact'] button[type=submit]");
      expect(await eraseButton.isDisabled()).toBe(true);
      await page.fill("input[aria-label='Type erase']", "erase");
      await eraseButton.click();
      await page.waitForURL(/\/contacts$/);
      await expect.poll(names, { timeout: 15_000 }).not.toContain("Bob Stone");
      expect(await stack.db.db.system.contact.count({ where: { id: bob.id } })).toBe(0);
      expect(
        await stack.db.db.system.conversation.count({ where: { id: { in: [ids.bob, ids.robert] } } }),
      ).toBe(0);
      expect(
        await stack.db.db.system.message.count({ where: { conversationId: { in: [ids.bob, ids.robert] } } }),
      ).toBe(0);
      const erasure = await stack.db.db.system.auditLogEntry.findFirstOrThrow({
        where: { tenantId, action: "contact.erase" },
      });
      expect(JSON.stringify(erasure)).not.toMatch(/Bob|Robert|bob@example\.com|invoices/);
    });
  }, 120_000);
});
