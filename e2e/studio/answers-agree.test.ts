import { createServer, type Server } from "node:http";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { choose } from "./choose";
import {
  freePort,
  launchChromium,
  type StudioStack,
  signInAsOwner,
  startStudioStack,
  withStackLog,
} from "./stack";

/**
 * Issue 13 item 8 in Debian's Chromium: the studio's test chat and the website widget say the same
 * about a refused answer (one notice carrying the expected answer, the flow's retry text, no hint
 * shown twice), on the collect-email template published as the bot's flow. Also: the API reference
 * at /api/docs renders in the browser from the runtime's own assets.
 */
let stack: StudioStack;
let browser: Browser;
let page: Page;
let site: Server;
let siteOrigin: string;

/** The engine refuses this e-mail (a one-letter top-level domain) although it looks like one. */
const REFUSED = "ann@example.c";
const NOTICE = "That answer doesn't fit. Expected: an e-mail address, like name@example.com.";
const RETRY = "Please enter a valid e-mail address, like name@example.com.";

beforeAll(async () => {
  stack = await startStudioStack();
  const port = await freePort();
  siteOrigin = `http://127.0.0.1:${port}`;
  await stack.db.db.system.bot.update({
    where: { id: stack.botId },
    data: { allowedOrigins: { push: siteOrigin } },
  });
  site = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(`<!doctype html><html lang="en"><head><title>Shop</title></head><body><div id="chat"></div>
<script src="${stack.runtimeUrl}/widget.js" data-bot-id="${stack.botId}" data-key="${stack.publishableKey}" data-mode="inline" data-target="#chat" async></script>
</body></html>`);
  });
  await new Promise<void>((resolve) => site.listen(port, "127.0.0.1", resolve));
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await signInAsOwner(page, stack);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => site?.close(resolve));
  await stack?.close();
});

describe("test chat and widget agree on answers", () => {
  it("show the same notice and retry text for a refused answer, and the hint once", async () => {
    expect(stack.runtimeUrl, stack.log()).not.toBeNull();
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots/${stack.botId}`);
      await page.fill("input[aria-label='Flow name']", "E-mail");
      await choose(page, page.getByRole("combobox", { name: "Start from" }), /^Template: Collect e-mail /);
      await page.click("button:has-text('Create flow')");
      await page.waitForURL(/\/flows\//);
      await page.waitForSelector("[data-testid='node-ask-email']");

      // The studio's test chat.
      await page.click("[data-testid='tab-test']");
      await page.click("button:has-text('Start test conversation')");
      const lines = page.locator("[data-testid='chat-lines']");
      await lines.locator(".chat-line.bot >> text=What's your e-mail address?").waitFor();
      expect(await lines.locator("[data-testid='ask-hint']").allTextContents()).toEqual([
        "An e-mail address, like name@example.com.",
      ]);
      await page.fill("input[aria-label='Test message']", REFUSED);
      await page.keyboard.press("Enter");
      const studioNotice = lines.locator("[data-testid='ask-notice']");
      await studioNotice.waitFor();
      expect(await studioNotice.textContent()).toBe(NOTICE);
      expect(await lines.locator(".chat-line.bot").last().textContent()).toContain(RETRY);
      // The retry does not repeat the hint: the notice carries it.
      expect(await lines.locator("[data-testid='ask-hint']").count()).toBe(1);

      // Publish it: the bot's first flow is its entry flow, which the widget talks to.
      await page.click("[data-testid='publish-open']");
      await page.click("[data-testid='publish-confirm']");
      await page.waitForSelector("text=Published version 1.");

      // The widget on a customer's page, with the same answer.
      const visitor = await browser.newPage();
      await visitor.goto(`${siteOrigin}/`);
      await visitor.locator(".row.bot >> text=What's your e-mail address?").waitFor({ timeout: 30_000 });
      expect(await visitor.locator("#parley-hint").textContent()).toBe(
        "An e-mail address, like name@example.com.",
      );
      await visitor.fill("#parley-input", REFUSED);
      await visitor.keyboard.press("Enter");
      const widgetNotice = visitor.locator(".ask-notice");
      await widgetNotice.waitFor({ timeout: 30_000 });
      expect(await widgetNotice.textContent()).toBe(NOTICE);
      expect(await visitor.locator(".row.bot").last().textContent()).toContain(RETRY);
      expect(await visitor.locator("#parley-hint").count()).toBe(0);

      // An answer the widget can tell is wrong before sending gets the very same words.
      await visitor.fill("#parley-input", "no address");
      await visitor.keyboard.press("Enter");
      expect(await visitor.locator("[role=alert].error").textContent()).toBe(NOTICE);
      await visitor.close();
    });
  }, 240_000);
});

describe("API reference", () => {
  it("renders /api/docs in the browser with a heading and an operation, from local assets only", async () => {
    expect(stack.runtimeUrl, stack.log()).not.toBeNull();
    const docs = await browser.newPage();
    const outside: string[] = [];
    docs.on("request", (request) => {
      const url = new URL(request.url());
      if (!["127.0.0.1", "localhost"].includes(url.hostname) && url.protocol !== "data:")
        outside.push(url.href);
    });
    await docs.goto(`${stack.runtimeUrl}/api/docs`);
    await docs.getByRole("heading", { level: 1 }).first().waitFor({ timeout: 60_000 });
    expect(await docs.getByRole("heading", { level: 1 }).first().textContent()).toContain("Parley");
    await docs.getByText("/api/v1/bots/{botId}/conversations").first().waitFor({ timeout: 30_000 });
    expect(outside).toEqual([]);
    await docs.close();
  }, 120_000);
});
