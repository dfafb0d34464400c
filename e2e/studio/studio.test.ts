import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type StudioStack, startStudioStack } from "./stack";

/**
 * The studio end to end, in Debian's Chromium: sign in as the seeded owner, build a flow on an empty
 * canvas by dragging kinds from the palette and wiring handles, see the validation badge, fix it in
 * the inspector, chat with the draft in the test panel, publish, and (when the runtime is available)
 * talk to the published bot through the widget demo page.
 */
let stack: StudioStack;
let browser: Browser;
let page: Page;
/** Everything the studio's Content-Security-Policy blocked while the tests used it (must stay empty). */
const cspViolations: string[] = [];

beforeAll(async () => {
  stack = await startStudioStack();
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text()) && page.url().startsWith(stack.studioUrl)) {
      cspViolations.push(message.text());
    }
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** Drags from the center of one element to the center of another with real mouse events. */
async function dragBetween(from: { x: number; y: number }, to: { x: number; y: number }) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
}

async function centerOf(selector: string) {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

describe("studio", () => {
  it("opens the home page at 127.0.0.1 and at localhost, and signing in from there lands on the bots list", async () => {
    const port = new URL(stack.studioUrl).port;
    for (const host of ["127.0.0.1", "localhost"]) {
      // A fresh context per host: cookies are per host, so each starts signed out.
      const context = await browser.newContext();
      const home = await context.newPage();
      try {
        await home.goto(`http://${host}:${port}/`);
        await home.waitForURL(/\/sign-in/, { timeout: 20_000 });
        await home.fill("#email", stack.owner.email);
        await home.fill("#password", stack.owner.password);
        await home.click("button[type=submit]");
        // The bots list itself must render (a stale "signed out" once bounced back to sign-in here).
        await home.waitForSelector("text=E2E bot", { timeout: 20_000 });
        expect(new URL(home.url()).pathname, host).toBe("/bots");
        await home.goto(`http://${host}:${port}/`);
        await home.waitForURL(/\/bots$/, { timeout: 20_000 });
        await home.waitForSelector("text=E2E bot");
        expect(await home.locator("[data-testid='home-loading']").count(), host).toBe(0);
      } catch (error) {
        await home.screenshot({ path: `/tmp/studio-e2e-home-${host}.png` }).catch(() => undefined);
        throw new Error(
          `${host}: ${(error as Error).message}\n--- stack output ---\n${stack.log().slice(-3000)}`,
        );
      } finally {
        await context.close();
      }
    }
  }, 120_000);

  it("signs in, builds, validates, tests and publishes a flow", async () => {
    try {
      await page.goto(`${stack.studioUrl}/sign-in`);
      await page.fill("#email", stack.owner.email);
      await page.fill("#password", stack.owner.password);
      await page.click("button[type=submit]");
      await page.waitForURL(/\/bots$/);
      await page.click("text=E2E bot");
      await page.waitForURL(/\/bots\/[^/]+$/);

      // A new flow from an empty canvas: only the start node.
      await page.fill("input[aria-label='Flow name']", "Greeting");
      await page.click("button:has-text('Create flow')");
      await page.waitForURL(/\/flows\//);
      await page.waitForSelector("[data-testid='node-start']");
      expect(await page.locator(".react-flow__node").count()).toBe(1);

      // Drag a message and an end node from the palette onto the canvas.
      const canvas = page.locator("[data-testid='canvas']");
      const canvasBox = await canvas.boundingBox();
      if (!canvasBox) throw new Error("no canvas");
      await page
        .locator("[data-testid='palette-message']")
        .dragTo(canvas, { targetPosition: { x: canvasBox.width / 2, y: canvasBox.height / 2 + 170 } });
      await page.waitForSelector("[data-testid='node-message-1']");
      await page
        .locator("[data-testid='palette-end']")
        .dragTo(canvas, { targetPosition: { x: canvasBox.width / 2 - 150, y: canvasBox.height - 70 } });
      await page.waitForSelector("[data-testid='node-end-1']");

      // Wire start -> message -> end by dragging from output handles to the nodes' inputs.
      await dragBetween(
        await centerOf("[data-testid='node-start'] .source-handle[data-handle='next']"),
        await centerOf("[data-testid='node-message-1'] .target-handle"),
      );
      await page.waitForSelector(".react-flow__edge");
      await dragBetween(
        await centerOf("[data-testid='node-message-1'] .source-handle[data-handle='next']"),
        await centerOf("[data-testid='node-end-1'] .target-handle"),
      );
      await page.waitForFunction(() => document.querySelectorAll(".react-flow__edge").length === 2);

      // The new message has no text: a badge on the node says so.
      const badge = page.locator("[data-testid='node-message-1'] [data-testid='problem-badge']");
      await badge.waitFor();
      expect(await page.locator("[data-testid='node-message-1'] .flow-node-problem").textContent()).toMatch(
        /message/i,
      );

      // Fix it in the inspector, typing a variable through the {{ autocomplete.
      await page.click("[data-testid='node-message-1'] .flow-node-title");
      await page.waitForSelector("[data-testid='inspector']");
      const text = page.locator("#inspector-message-1-text");
      await text.fill("Hello from e2e, {{ sys.chan");
      await page.waitForSelector("[data-testid='autocomplete']");
      await page.keyboard.press("Enter");
      expect(await text.inputValue()).toBe("Hello from e2e, {{ sys.channel }}");
      await badge.waitFor({ state: "detached" });
      await page.waitForSelector("[data-testid='save-state']:has-text('All changes saved')");

      // Chat with the draft: the bot answers and the executed nodes light up with a trace.
      await page.click("[data-testid='tab-test']");
      await page.click("button:has-text('Start test conversation')");
      await page.waitForSelector("[data-testid='chat-lines'] .chat-line.bot");
      expect(await page.locator("[data-testid='chat-lines']").textContent()).toContain("Hello from e2e, web");
      await page.waitForSelector(".flow-node.active");
      expect(await page.locator("[data-testid='trace'] summary").first().textContent()).toContain(
        "start → message-1 → end-1",
      );

      // Publish with a note; the version appears in the history with who published it.
      await page.click("[data-testid='publish-open']");
      await page.fill("#publish-note", "First version from e2e");
      await page.click("[data-testid='publish-confirm']");
      await page.waitForSelector("text=Published version 1.");
      await page.click("[data-testid='tab-versions']");
      await page.waitForSelector("[data-testid='versions-panel'] >> text=v1");
      expect(await page.locator("[data-testid='versions-panel']").textContent()).toContain(stack.owner.name);

      // A change undone while its save is still on the way is saved as well (it once stayed "unsaved").
      await page.route("**/api/trpc/flows.saveDraft*", async (route) => {
        await new Promise((wait) => setTimeout(wait, 1_000));
        await route.continue();
      });
      await page.click("[data-testid='palette-wait']");
      await page.waitForSelector("[data-testid='save-state']:has-text('Saving')");
      await page.click("button:has-text('Undo')");
      await page.waitForSelector("[data-testid='node-wait-1']", { state: "detached" });
      await page.waitForSelector("[data-testid='save-state']:has-text('All changes saved')", {
        timeout: 15_000,
      });
      await page.unroute("**/api/trpc/flows.saveDraft*");
      await page.reload();
      await page.waitForSelector("[data-testid='node-start']");
      expect(await page.locator("[data-testid='node-wait-1']").count()).toBe(0);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- stack output ---\n${stack.log().slice(-3000)}`);
    }
  }, 240_000);

  it("talks to the published bot through the widget demo page", async (context) => {
    if (!stack.runtimeUrl) {
      context.skip();
      return;
    }
    const demo = await browser.newPage();
    await demo.goto(
      `${stack.runtimeUrl}/demo?botId=${encodeURIComponent(stack.botId)}&key=${encodeURIComponent(stack.publishableKey)}`,
    );
    // The widget renders in the shadow root of [data-parley-widget]; open it with its launcher.
    const launcher = demo.locator("[data-parley-widget] .launcher");
    await launcher.waitFor({ timeout: 30_000 });
    await launcher.click();
    const deadline = Date.now() + 30_000;
    let text = "";
    while (Date.now() < deadline) {
      text = await demo
        .locator("[data-parley-widget]")
        .evaluate((host) => host.shadowRoot?.textContent ?? "");
      if (text.includes("Hello from e2e, web")) break;
      await new Promise((wait) => setTimeout(wait, 200));
    }
    expect(text).toContain("Hello from e2e, web");
    await demo.close();
  }, 120_000);

  it("resolves a second editor's conflicting save by merging, and undoes, pastes, lays out and diffs", async () => {
    const flowUrl = page.url();
    // A second tab of the same session (same cookies) plays the second editor.
    const other = await page.context().newPage();
    try {
      await other.goto(flowUrl);
      await other.waitForSelector("[data-testid='node-start']");
      const count = (p: Page) => p.locator(".react-flow__node").count();
      const before = await count(page);

      // The first editor adds a wait node and saves.
      await page.reload();
      await page.waitForSelector("[data-testid='node-start']");
      await page.click("[data-testid='palette-wait']");
      await page.waitForSelector("[data-testid='node-wait-1']");
      await page.waitForSelector("[data-testid='save-state']:has-text('All changes saved')");

      // The second editor, still on the older revision, adds a handoff: the save is refused.
      await other.click("[data-testid='palette-handoff']");
      await other.waitForSelector("[data-testid='conflict-banner']");
      expect(await other.locator("[data-testid='conflict-banner']").textContent()).toMatch(/someone else/i);
      await other.click("button:has-text('Merge my changes into theirs')");
      await other.waitForSelector("[data-testid='node-wait-1']");
      await other.waitForSelector("[data-testid='save-state']:has-text('All changes saved')");
      expect(await count(other)).toBe(before + 2);
      await page.reload();
      await page.waitForSelector("[data-testid='node-handoff-1']");
      expect(await count(page)).toBe(before + 2);

      // Undo the last step (the merge's handoff stays saved; undo removes the node added next).
      await page.click("[data-testid='palette-jump']");
      await page.waitForSelector("[data-testid='node-jump-1']");
      await page.click("[data-testid='node-jump-1'] .flow-node-title");
      await page.keyboard.press("Control+z");
      await page.waitForSelector("[data-testid='node-jump-1']", { state: "detached" });
      await page.keyboard.press("Control+Shift+z");
      await page.waitForSelector("[data-testid='node-jump-1']");

      // Auto-layout spreads the nodes added in the middle; then copy and paste one (a fresh id).
      await page.click("button:has-text('Auto-layout')");
      await page.waitForTimeout(600);
      await page.click("[data-testid='node-wait-1'] .flow-node-title");
      await page.keyboard.press("Control+c");
      await page.keyboard.press("Control+v");
      await page.waitForSelector("[data-testid='node-wait-2']");
      await page.waitForSelector("[data-testid='save-state']:has-text('All changes saved')");

      // The visual diff of the draft against the published version.
      await page.click("[data-testid='tab-versions']");
      await page.click("button:has-text('Diff with draft')");
      const summary = await page.locator("[data-testid='diff-summary']").textContent();
      expect(summary).toMatch(/4 nodes added/);
      // The canvas decorates the nodes a render after the summary shows (deferred validation): wait for it.
      await expect.poll(() => page.locator(".flow-node.change-added").count()).toBe(4);
    } catch (error) {
      await page.screenshot({ path: "/tmp/studio-e2e-failure.png" }).catch(() => undefined);
      throw new Error(`${(error as Error).message}\n--- stack output ---\n${stack.log().slice(-3000)}`);
    } finally {
      await other.close();
    }
  }, 180_000);
  it("ran all of the above under the studio's Content-Security-Policy without a violation", async () => {
    const response = await page.goto(`${stack.studioUrl}/bots`);
    expect(response?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(cspViolations).toEqual([]);
  });
});
