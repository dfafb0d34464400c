import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { choose } from "./choose";
import { launchChromium, type StudioStack, signInAsOwner, startStudioStack, withStackLog } from "./stack";

/**
 * The studio's Integrations page in Debian's Chromium: create an integration with an API key sent
 * in the query, run a test request (the key masked in what is shown), and see its usage.
 */
const KEY = "e2e-apikey-SECRET-7788wxyz";
let stack: StudioStack;
let browser: Browser;
let page: Page;
let api: Server;
let apiUrl: string;
const seen: string[] = [];

beforeAll(async () => {
  api = createServer((request, response) => {
    seen.push(request.url ?? "");
    response
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ status: "shipped" }));
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  const port = (api.address() as AddressInfo).port;
  apiUrl = `http://127.0.0.1:${port}`;
  // The studio's guarded client may call this loopback server (the operator allowlist).
  process.env.PARLEY_OUTBOUND_ALLOWED_HOSTS = `127.0.0.1:${port}`;
  stack = await startStudioStack({ withRuntime: false });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  page.on("dialog", (dialog) => void dialog.accept());
  await signInAsOwner(page, stack);
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await new Promise<void>((resolve) => (api ? api.close(() => resolve()) : resolve()));
});

describe("integrations page", () => {
  it("creates an integration, tests a request with the key masked, and shows its usage", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots`);
      await page.click("nav >> text=Integrations");
      await page.waitForURL(/\/integrations$/);
      expect(await page.getAttribute("a:has-text('Add from catalogue')", "href")).toBe(
        "/integrations/catalogue",
      );

      await page.click("button:has-text('New integration')");
      // Invalid input is shown inline by its field (the contract's schemas), before anything is sent.
      await page.fill("#new-integration-base-url", "ftp://example.com");
      await page.click("button:has-text('Create integration')");
      expect(await page.getByTestId("error-name").textContent()).toBeTruthy();
      expect(await page.getByTestId("error-baseUrl").textContent()).toContain("http");
      expect(await page.getByTestId("error-credentials.token").textContent()).toBeTruthy();
      expect(await page.locator("#new-integration-base-url").getAttribute("aria-invalid")).toBe("true");
      await page.fill("#new-integration-name", "orders");
      await page.fill("#new-integration-base-url", `${apiUrl}/v1`);
      await choose(page, "#new-integration-type", "api-key");
      await page.fill("#new-integration-cred-name", "api_key");
      await page.fill("#new-integration-cred-value", KEY);
      await choose(page, "#new-integration-cred-in", "query");
      await page.click("button:has-text('Create integration')");
      const row = page.locator("[data-testid='integration-orders']");
      await row.waitFor();
      expect(await row.textContent()).toContain("set …wxyz");
      expect(await page.content()).not.toContain(KEY);

      await page.fill("form[aria-label='Test request'] input[id$='-path']", "/orders/{{ id }}");
      await page.fill("form[aria-label='Test request'] textarea[id$='-variables']", '{"id": "42"}');
      await page.fill("form[aria-label='Test request'] textarea[id$='-mapping']", "status = body.status");
      await page.click("button:has-text('Send test request')");
      await page.waitForSelector("[data-testid='test-result'] >> text=HTTP 200");
      expect(seen.at(-1)).toBe(`/v1/orders/42?api_key=${KEY}`);
      expect(await page.textContent("[data-testid='test-request']")).toContain("api_key=[redacted]");
      expect(await page.textContent("[data-testid='test-mapping']")).toContain('"status": "shipped"');
      expect(await page.content()).not.toContain(KEY);

      await page.waitForSelector("[data-testid='integration-usage']");
      expect(await page.textContent("[data-testid='usage-breaker']")).toBe("closed");
      expect(await page.textContent("[data-testid='usage-calls']")).toBe("0");
    });
  }, 300_000);
});
