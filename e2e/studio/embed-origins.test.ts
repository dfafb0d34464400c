import { createServer, type Server } from "node:http";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  freePort,
  launchChromium,
  type StudioStack,
  signInAsOwner,
  startStudioStack,
  withStackLog,
} from "./stack";

/**
 * Issue 13 item 6 in Debian's Chromium: the widget embedded on a site that is not (yet) in the bot's
 * allowed origins shows the runtime's reason in the chat window (not "Reconnecting..." forever), and
 * the bot's settings offer that site with one click, beside the embed code.
 */
let stack: StudioStack;
let browser: Browser;
let studio: Page;
let site: Server;
let siteOrigin: string;

beforeAll(async () => {
  stack = await startStudioStack();
  const port = await freePort();
  siteOrigin = `http://127.0.0.1:${port}`;
  // A customer's page on another origin, with the bot's one tag (inline, so the chat starts at once).
  site = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(`<!doctype html><html lang="en"><head><title>Shop</title></head><body><h1>Shop</h1><div id="chat"></div>
<script src="${stack.runtimeUrl}/widget.js" data-bot-id="${stack.botId}" data-key="${stack.publishableKey}" data-mode="inline" data-target="#chat" async></script>
</body></html>`);
  });
  await new Promise<void>((resolve) => site.listen(port, "127.0.0.1", resolve));
  browser = await launchChromium();
  studio = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await signInAsOwner(studio, stack);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => site?.close(resolve));
  await stack?.close();
});

describe("embed on a site that is not allowed yet", () => {
  it("shows the reason in the chat window, and the settings add the site in one click", async () => {
    expect(stack.runtimeUrl, stack.log()).not.toBeNull();
    await withStackLog(stack, async () => {
      const visitor = await browser.newPage();
      await visitor.goto(`${siteOrigin}/`);
      const alert = visitor.locator("[role=alert][data-error-code='origin-not-allowed']");
      await alert.waitFor({ timeout: 30_000 });
      expect(await alert.textContent()).toContain(`${siteOrigin} is not in the bot's allowed origins`);
      expect(await visitor.getByText("Reconnecting").count()).toBe(0);

      await studio.goto(`${stack.studioUrl}/bots/${stack.botId}/settings`);
      const refused = studio.locator("[data-testid='refused-origin']");
      await refused.waitFor();
      expect(await refused.textContent()).toContain(siteOrigin);
      // The embed code and the sites it works on are shown together.
      const embed = studio.locator("[data-testid='embed-section']");
      expect(await embed.locator("[data-testid='embed-snippet']").textContent()).toContain(
        stack.publishableKey,
      );
      expect(await embed.locator("[data-testid='embed-origins']").textContent()).not.toContain(siteOrigin);

      await refused.getByRole("button", { name: "Add this site" }).click();
      await embed.locator(`[data-testid='embed-origins'] >> text=${siteOrigin}`).waitFor();
      await refused.waitFor({ state: "detached" });
      const bot = await stack.db.db.system.bot.findUniqueOrThrow({ where: { id: stack.botId } });
      expect(bot.allowedOrigins).toContain(siteOrigin);

      // The runtime (another process) picks configuration changes up within about half a second
      // (its config-revision poll): wait until it accepts the site, then the visitor's page works.
      const acceptedStatus = async () =>
        (
          await fetch(`${stack.runtimeUrl}/api/v1/bots/${stack.botId}/conversations`, {
            method: "POST",
            headers: {
              authorization: `Bearer ${stack.publishableKey}`,
              origin: siteOrigin,
              "content-type": "application/json",
            },
            body: "{}",
          })
        ).status;
      await expect.poll(acceptedStatus, { timeout: 15_000 }).not.toBe(403);
      // The visitor's page is accepted now: starting the conversation is no longer refused.
      const started = visitor.waitForResponse(
        (response) => response.request().method() === "POST" && /\/conversations$/.test(response.url()),
      );
      await visitor.reload();
      expect((await started).status()).not.toBe(403);
      expect(await visitor.locator("[data-error-code='origin-not-allowed']").count()).toBe(0);
      await visitor.close();
    });
  }, 180_000);
});
