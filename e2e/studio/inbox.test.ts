import { createApiKey, createFlow, publishFlow, systemContext } from "@parley/core";
import { createInfrastructure } from "@parley/infra";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { choose } from "./choose";
import { launchChromium, type StudioStack, signInAsOwner, startStudioStack, withStackLog } from "./stack";

/**
 * The live agent inbox in Debian's Chromium: a visitor in the widget (the runtime's demo page) and
 * an agent in the studio's /inbox talk in real time both ways (each message shown on the other side
 * as it arrives on the page's server-sent event stream, not by polling or reloading), then the agent
 * hands back to the bot at a chosen node, ends the conversation, and the visitor's CSAT rating shows
 * in the inbox. How fast is measured by `npm run bench:push -w @parley/bench` (p50/p95, embedded and
 * Postgres + Redis), not asserted here: a shared CI machine's load is not the product's latency.
 */
const handoffFlow = {
  version: 1,
  id: "inbox-e2e",
  name: "Inbox e2e",
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
      data: {
        message: "Connecting you to a person.",
        queue: "vip",
        priority: "high",
        reason: "Asked: {{ question }}",
      },
    },
    {
      id: "bye",
      kind: "message",
      position: { x: 0, y: 300 },
      label: "Goodbye",
      data: { text: "Bot here again, goodbye!" },
    },
    { id: "done", kind: "end", position: { x: 0, y: 400 }, data: {} },
  ],
  edges: [
    { id: "e1", source: "start", sourceHandle: "next", target: "ask" },
    { id: "e2", source: "ask", sourceHandle: "next", target: "human" },
    { id: "e3", source: "ask", sourceHandle: "error", target: "bye" },
    { id: "e4", source: "human", sourceHandle: "next", target: "ask" },
    { id: "e5", source: "bye", sourceHandle: "next", target: "done" },
  ],
};

let stack: StudioStack;
let browser: Browser;
let agent: Page;
let visitor: Page;
/** A secret key, to write a note through the runtime's REST API (another process than the studio). */
let secretKey: string;

beforeAll(async () => {
  stack = await startStudioStack();
  const infra = await createInfrastructure({ dataDir: "/tmp", withQueue: false });
  try {
    const bot = await stack.db.db.system.bot.findFirstOrThrow({ where: { id: stack.botId } });
    const ctx = systemContext({ db: stack.db.db, infra }, bot.tenantId, "e2e");
    const flow = await createFlow(ctx, { botId: stack.botId, document: handoffFlow });
    await publishFlow(ctx, flow.id, {});
    secretKey = (await createApiKey(ctx, { name: "e2e notes", scopes: ["*"] })).key;
  } finally {
    await infra.close();
  }
  browser = await launchChromium();
  agent = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await agent.addInitScript(recordServerSentEvents);
  agent.on("dialog", (dialog) => void dialog.accept());
  await signInAsOwner(agent, stack);
  visitor = await (await browser.newContext()).newPage();
  await visitor.addInitScript(recordServerSentEvents);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/**
 * Runs in each page before its scripts: keeps the data of every server-sent event the page's
 * EventSources deliver (window.__sse), so the test can tell a message that was pushed from one
 * fetched by a poll or a reload.
 */
function recordServerSentEvents(): void {
  const log: string[] = [];
  (window as unknown as { __sse: string[] }).__sse = log;
  const proto = EventSource.prototype;
  const add = proto.addEventListener;
  proto.addEventListener = function (
    this: EventSource,
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ) {
    const wrapped = (event: Event) => {
      log.push(String((event as MessageEvent).data));
      return typeof listener === "function" ? listener.call(this, event) : listener.handleEvent(event);
    };
    return add.call(this, type, wrapped, options);
  } as typeof proto.addEventListener;
  const onmessage = Object.getOwnPropertyDescriptor(proto, "onmessage");
  Object.defineProperty(proto, "onmessage", {
    configurable: true,
    get(this: EventSource) {
      return onmessage?.get?.call(this);
    },
    set(this: EventSource, handler: ((event: MessageEvent) => unknown) | null) {
      onmessage?.set?.call(
        this,
        handler &&
          ((event: MessageEvent) => {
            log.push(String(event.data));
            return handler.call(this, event);
          }),
      );
    },
  });
}

/** Whether `text` reached the page in a server-sent event. */
const pushed = (page: Page, text: string) =>
  page.evaluate(
    (wanted) =>
      (window as unknown as { __sse?: string[] }).__sse?.some((data) => data.includes(wanted)) ?? false,
    text,
  );

/** Everything the widget shows (it renders in an open shadow root). */
const widgetText = (page: Page) =>
  page.locator("[data-parley-widget]").evaluate((host) => host.shadowRoot?.textContent ?? "");

describe("the live agent inbox", () => {
  it("lets an agent and a visitor talk in real time, hands back to the bot and shows the CSAT", async (context) => {
    if (!stack.runtimeUrl) {
      context.skip();
      return;
    }
    await withStackLog(stack, async () => {
      await visitor.goto(
        `${stack.runtimeUrl}/demo?botId=${encodeURIComponent(stack.botId)}&key=${encodeURIComponent(stack.publishableKey)}`,
      );
      await visitor.locator("[data-parley-widget] .launcher").click();
      await expect.poll(() => widgetText(visitor), { timeout: 30_000 }).toContain("How can I help?");
      const input: Locator = visitor.locator("[data-parley-widget] #parley-input");
      await input.fill("My order never arrived");
      await input.press("Enter");
      await expect
        .poll(() => widgetText(visitor), { timeout: 15_000 })
        .toContain("Connecting you to a person.");

      // The agent sees it waiting with the node's queue, priority and reason, and claims it.
      await agent.goto(`${stack.studioUrl}/inbox`);
      const item = agent.locator("[data-testid^='inbox-item-']").first();
      await expect
        .poll(() => item.textContent(), { timeout: 15_000 })
        .toContain("Asked: My order never arrived");
      expect(await item.textContent()).toContain("high · vip");
      await item.click();
      const chat = agent.locator("[data-testid='chat-lines']");
      await expect.poll(() => chat.textContent(), { timeout: 15_000 }).toContain("My order never arrived");
      await agent.click("button:has-text('Claim')");
      await expect
        .poll(
          async () =>
            `${await agent.textContent("[data-testid='pane-assignee']")} | ${await agent.textContent("[data-testid='conversation-pane']")}`,
          { timeout: 5_000 },
        )
        .toContain("assigned to you");

      // Agent -> visitor: shown in the widget, having arrived on its event stream (pushed, not polled).
      await agent.fill("[data-testid='reply-text']", "Hi, Ann here. Let me check.");
      let sentAt = Date.now();
      await agent.click("button:has-text('Send')");
      await expect
        .poll(() => widgetText(visitor), { timeout: 15_000, interval: 50 })
        .toContain("Hi, Ann here.");
      expect(await pushed(visitor, "Hi, Ann here.")).toBe(true);
      process.stderr.write(`inbox e2e: agent -> visitor shown after ${Date.now() - sentAt} ms\n`);

      // Visitor -> agent: shown in the inbox, having arrived on the studio page's event stream.
      await input.fill("Thanks, order 4711");
      sentAt = Date.now();
      await input.press("Enter");
      await expect.poll(() => chat.textContent(), { timeout: 15_000, interval: 50 }).toContain("order 4711");
      expect(await pushed(agent, "order 4711")).toBe(true);
      process.stderr.write(`inbox e2e: visitor -> agent shown after ${Date.now() - sentAt} ms\n`);

      // Typing and notes cross from the runtime's process to the studio's (embedded mode: no Redis,
      // the two meet in the database). The widget reports typing at most every few seconds, so
      // each look types one more letter.
      await expect
        .poll(
          async () => {
            await input.press("k");
            return agent.locator("[data-testid='visitor-typing']").isVisible();
          },
          { timeout: 15_000, interval: 500 },
        )
        .toBe(true);
      await input.fill("");
      const conversationId = (
        await agent.getAttribute("[data-testid^='inbox-item-'][aria-pressed='true']", "data-testid")
      )?.replace("inbox-item-", "");
      const noted = await fetch(`${stack.runtimeUrl}/api/v1/conversations/${conversationId}/notes`, {
        method: "POST",
        headers: { authorization: `Bearer ${secretKey}`, "content-type": "application/json" },
        body: JSON.stringify({ text: "Written over REST" }),
      });
      expect(noted.status).toBe(201);
      await expect
        .poll(() => agent.textContent("[data-testid='notes']"), { timeout: 5_000 })
        .toContain("Written over REST");

      // An internal note stays in the inbox.
      await agent.fill("input[aria-label='Internal note']", "Refund approved");
      await agent.click("button:has-text('Add note')");
      await expect.poll(() => agent.textContent("[data-testid='notes']")).toContain("Refund approved");
      expect(await widgetText(visitor)).not.toContain("Refund approved");

      // Hand back to the bot at the "Goodbye" node: the bot speaks again and the flow ends.
      await choose(agent, agent.getByRole("combobox", { name: "Hand back at" }), /Goodbye/);
      await agent.click("button:has-text('Hand back to bot')");
      await expect.poll(() => widgetText(visitor), { timeout: 5_000 }).toContain("Bot here again, goodbye!");
      await expect.poll(() => widgetText(visitor), { timeout: 5_000 }).toContain("How did we do?");

      // The visitor rates it; the inbox shows the rating.
      await visitor.locator("[data-parley-widget] button[aria-label='4 of 5']").click();
      await visitor
        .locator("[data-parley-widget] textarea[aria-label='Comment (optional)']")
        .fill("Fast help");
      await visitor.locator("[data-parley-widget] button:has-text('Send rating')").click();
      await expect
        .poll(() => widgetText(visitor), { timeout: 5_000 })
        .toContain("Thank you for your feedback!");
      await expect
        .poll(
          () =>
            agent
              .locator("[data-testid='pane-csat']")
              .textContent()
              .catch(() => ""),
          { timeout: 5_000 },
        )
        .toContain("(4/5) “Fast help”");
      expect(await agent.textContent("[data-testid='pane-status']")).toBe("ended");
    });
  }, 240_000);
});
