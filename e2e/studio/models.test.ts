import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { choose } from "./choose";
import { launchChromium, type StudioStack, signInAsOwner, startStudioStack, withStackLog } from "./stack";

/**
 * The models and knowledge pages end to end, in Debian's Chromium: sign in as the seeded owner,
 * try a prompt (with no keys the offline provider answers, with its cost and latency), add a
 * provider whose key is never shown again, build a route and reorder it from the keyboard, give a
 * bot its own default route and a route override and try a prompt as that bot; then
 * upload a Markdown document to a bot's knowledge base and find its chunk by searching.
 * PARLEY_E2E_SCREENSHOTS=<dir> saves a full-page screenshot of each page there.
 */
let stack: StudioStack;
let browser: Browser;
let page: Page;
const shots = process.env.PARLEY_E2E_SCREENSHOTS;

// The offline provider answers only when the environment configures no model provider.
const environmentKeys = [
  "OPENAI_API_KEY",
  "OPENAI_BASE_URL",
  "ANTHROPIC_API_KEY",
  "GEMINI_API_KEY",
  "GOOGLE_API_KEY",
];
const offlineOnly = environmentKeys.every((name) => !process.env[name]) && !process.env.HF_TOKEN;

async function screenshot(name: string) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  // The operator's allowlist opens one loopback address (with nothing listening): a provider there
  // passes the SSRF check on save and fails at call time, so the route falls back.
  process.env.PARLEY_OUTBOUND_ALLOWED_HOSTS = "127.0.0.2:9";
  // The runtime runs the knowledge worker: the studio only queues uploaded documents.
  stack = await startStudioStack({ withRuntime: true });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  await signInAsOwner(page, stack);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe("models page", () => {
  it("tries a prompt: the offline provider answers, with cost and latency", async () => {
    await withStackLog(stack, async () => {
      await page.click("nav >> text=Models");
      await page.waitForURL(/\/models$/);
      // The routes have loaded: the route picker offers "default".
      await page.click("#try-route");
      await page.getByRole("option", { name: "default", exact: true }).waitFor();
      await page.keyboard.press("Escape");
      await page.fill("#try-prompt", "What are your opening hours?");
      await page.click("form[aria-label='Try a prompt'] button[type=submit]");
      await page.waitForSelector("[data-testid='try-result']");
      if (offlineOnly) expect(await page.textContent("[data-testid='try-model']")).toBe("offline/offline");
      expect(await page.textContent("[data-testid='try-answer']")).not.toBe("");
      expect(await page.textContent("[data-testid='try-cost']")).toMatch(/^\$\d/);
      expect(await page.textContent("[data-testid='try-latency']")).toMatch(/^\d+ ms$/);
      expect(await page.textContent("[data-testid='try-fallbacks']")).toContain("none");

      // An empty prompt is refused next to the field.
      await page.fill("#try-prompt", "  ");
      await page.click("form[aria-label='Try a prompt'] button[type=submit]");
      expect(await page.textContent("#try-prompt-error")).toContain("type a prompt");
    });
  }, 120_000);

  it("stores a provider key that is never shown again, and reorders a route's targets", async () => {
    await withStackLog(stack, async () => {
      const secret = "sk-e2e-never-shown-9f8e";
      await page.click("button:has-text('Add provider')");
      // Inline errors before anything is sent (the contract's own rules, checked in the browser).
      await page.fill("#provider-name", "bad name");
      await choose(page, "#provider-kind", "OpenAI-compatible server");
      await page.fill("#provider-baseUrl", "localhost:11434");
      await page.click("button:has-text('Save provider')");
      expect(await page.textContent("#provider-name-error")).toMatch(/letters, digits/);
      expect(await page.textContent("#provider-baseUrl-error")).toMatch(/http\(s\) URL/);
      expect(await page.getAttribute("#provider-name", "aria-invalid")).toBe("true");
      expect(await page.locator("[data-testid='provider-bad name']").count()).toBe(0);
      await page.fill("#provider-name", "local-llm");
      await choose(page, "#provider-kind", "OpenAI-compatible server");
      await page.fill("#provider-apiKey", secret);
      // A loopback endpoint the operator did not allow is refused on the field (SSRF rules).
      await page.fill("#provider-baseUrl", "http://127.0.0.1:9/v1");
      await page.click("button:has-text('Save provider')");
      expect(await page.textContent("#provider-baseUrl-error")).toMatch(/cannot be used/);
      await page.fill("#provider-baseUrl", "http://127.0.0.2:9/v1");
      await page.click("button:has-text('Save provider')");
      await page.waitForSelector("[data-testid='provider-local-llm'] >> text=set …9f8e");
      expect(await page.content()).not.toContain(secret);

      await page.click("button:has-text('New route')");
      await page.fill("#route-name", "main");
      await choose(page, "[aria-label='Provider of target 1']", "local-llm");
      await page.fill("[aria-label='Model of target 1']", "llama-3.1-8b");
      await page.click("button:has-text('Add target')");
      await choose(page, "[aria-label='Provider of target 2']", "offline");
      await page.fill("[aria-label='Model of target 2']", "offline");
      // Keyboard reordering: the drag handle of target 2 with the up arrow.
      await page.focus("[data-testid='target-1'] .drag-handle");
      await page.keyboard.press("ArrowUp");
      expect(await page.inputValue("[aria-label='Model of target 1']")).toBe("offline");
      await page.click("[aria-label='Move target 1 down']");
      expect(await page.inputValue("[aria-label='Model of target 1']")).toBe("llama-3.1-8b");
      await page.click("button:has-text('Save route')");
      await page.waitForSelector("[data-testid='route-main']");
      expect(await page.textContent("[data-testid='route-main'] .chain")).toMatch(
        /1\.local-llm\/llama-3\.1-8b.*2\.offline\/offline/,
      );

      // Through the route: the unreachable server fails, the offline provider answers after it.
      await choose(page, "#try-route", "main");
      await page.fill("#try-prompt", "Hello");
      await page.click("form[aria-label='Try a prompt'] button[type=submit]");
      await page.waitForSelector("[data-testid='try-fallbacks'] >> text=local-llm/llama-3.1-8b");
      expect(await page.textContent("[data-testid='try-model']")).toBe("offline/offline");
      await screenshot("models");
    });
  }, 120_000);

  it("gives a bot its own default route and an override, and try-it answers as that bot", async () => {
    await withStackLog(stack, async () => {
      await choose(page, "#routing-bot", /^E2E bot/);
      await choose(page, "#bot-default-route", "main");
      await page.click("button:has-text('Add override')");
      // "default" is the default route's business: refused next to the row before anything is sent.
      await page.fill("[aria-label='Route name asked for, override 1']", "default");
      await page.click("button:has-text('Save bot routing')");
      expect(await page.textContent("[data-testid='error-override-0-requested']")).toMatch(
        /default route instead/,
      );
      await page.fill("[aria-label='Route name asked for, override 1']", "fast");
      await choose(page, "[aria-label='Route used instead, override 1']", "main");
      await page.click("button:has-text('Save bot routing')");
      await page.waitForSelector("form[aria-label='Bot routing'] >> text=Saved.");
      expect(await page.textContent("[data-testid='routing-preview']")).toMatch(
        /fast(in flows)?mainoverridden for this bot/,
      );
      if (shots) await page.locator("#routing").screenshot({ path: join(shots, "routing.png") });

      // As the bot, naming no route: its default route (main) answers, falling back to offline.
      await choose(page, "#try-bot", "E2E bot");
      await choose(page, "#try-route", /^— none/);
      await page.fill("#try-prompt", "Hello again");
      await page.click("form[aria-label='Try a prompt'] button[type=submit]");
      await page.waitForSelector("[data-testid='try-route-used'] >> text=default → main");
      expect(await page.textContent("[data-testid='try-model']")).toBe("offline/offline");
    });
  }, 120_000);

  it("refuses a bad budget next to its fields, saving nothing, then saves a good one", async () => {
    await withStackLog(stack, async () => {
      await page.click("button:has-text('Add budget')");
      await page.fill("#budget-limit", "-5");
      await page.fill("#budget-warn", "150");
      await page.click("button:has-text('Save budget')");
      expect(await page.textContent("#budget-limit-error")).toContain("must be 0 or more");
      expect(await page.textContent("#budget-warn-error")).toContain("must be 100 or less");
      expect(await page.textContent("#budgets")).toContain("No budgets: model spend is not capped.");
      await page.fill("#budget-limit", "abc");
      expect(await page.textContent("#budget-limit-error")).toContain("enter a number");

      await page.fill("#budget-limit", "20");
      await page.fill("#budget-warn", "75");
      await page.click("button:has-text('Save budget')");
      await page.waitForSelector("#budgets table >> text=$20.00");
      expect(await page.textContent("#budgets table")).toContain("75%");
      expect(await page.locator("form[aria-label='Budget']").count()).toBe(0);
    });
  }, 120_000);
});

describe("knowledge page", () => {
  it("uploads a Markdown document and finds its chunk by searching", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots/${stack.botId}`);
      await page.click("nav[aria-label='Bot sections'] >> text=Knowledge");
      await page.waitForURL(/\/knowledge$/);
      await page.waitForSelector("text=No documents yet");
      await page.setInputFiles("#knowledge-files", {
        name: "returns.md",
        mimeType: "text/markdown",
        buffer: Buffer.from(
          "# Returns policy\n\n## Refunds\nUnworn shoes can be returned within 45 days for a full refund.\n\n## Exchanges\nSizes can be exchanged in any store.\n",
        ),
      });
      await page.click("button:has-text('Upload and index')");
      await page.waitForSelector("[data-testid='upload-results'] >> text=queued for indexing");
      // The table refreshes while the document is pending or indexing, until the worker is done.
      await page.waitForSelector("[data-testid='document-Returns policy'] >> text=ready", {
        timeout: 60_000,
      });

      await page.fill("#knowledge-query", "can I return shoes for a refund");
      await page.click("form[aria-label='Search the knowledge base'] button[type=submit]");
      await page.waitForSelector("[data-testid='hits']");
      const first = page.locator("[data-testid='hits'] .hit").first();
      expect(await first.textContent()).toContain("within 45 days");
      expect(await first.textContent()).toContain("Returns policy");
      await screenshot("knowledge");

      await page.fill("#knowledge-query", "");
      await page.click("form[aria-label='Search the knowledge base'] button[type=submit]");
      expect(await page.textContent("#knowledge-query-error")).toMatch(/type something to search for/);
    });
  }, 120_000);
});
