import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type CoreDeps, createFlow, publishFlow, type ServiceContext } from "@parley/core";
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
 * The integrations hub in Debian's Chromium: the connector catalogue ("HubSpot: create contact",
 * its credentials form), the http node's connector operation picker in the designer with a
 * variable picked for an input, its "Test request" sandbox (request masked, response, timing,
 * mapping), and the Triggers page (create, URL and secret, fire). Writes docs/integrations.png.
 */
const TOKEN = "pat-e2e-SECRET-hub-5566";
let stack: StudioStack;
let browser: Browser;
let page: Page;
let hubspot: Server;
let hubspotUrl: string;
const received: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];

const at = { x: 0, y: 0 };
/** A published flow a trigger starts: it announces the order from the mapped variable. */
const notice = {
  version: 1,
  id: "notice",
  name: "Order notice",
  variables: [{ name: "orderId", type: "string" }],
  nodes: [
    { id: "start", kind: "start", position: at, data: {} },
    { id: "say", kind: "message", position: at, data: { text: "Order {{ orderId }} shipped" } },
    { id: "end", kind: "end", position: at, data: {} },
  ],
  edges: [
    { id: "a", source: "start", sourceHandle: "next", target: "say" },
    { id: "b", source: "say", sourceHandle: "next", target: "end" },
  ],
};

beforeAll(async () => {
  // HubSpot's create-contact endpoint as documented (201 with the new contact).
  hubspot = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers, body });
      const email = (JSON.parse(body || "{}") as { properties?: { email?: string } }).properties?.email;
      response.writeHead(201, { "content-type": "application/json" }).end(
        JSON.stringify({
          id: "512",
          properties: { email, createdate: "2024-05-01T10:00:00.000Z" },
          createdAt: "2024-05-01T10:00:00.000Z",
          archived: false,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => hubspot.listen(0, "127.0.0.1", resolve));
  const port = (hubspot.address() as AddressInfo).port;
  hubspotUrl = `http://127.0.0.1:${port}`;
  // The studio's guarded client may call this loopback server (the operator allowlist).
  process.env.PARLEY_OUTBOUND_ALLOWED_HOSTS = `127.0.0.1:${port}`;
  stack = await startStudioStack({ withRuntime: false });
  const db = stack.db.db;
  const bot = await db.system.bot.findFirst({ where: { id: stack.botId } });
  if (!bot) throw new Error("the stack's bot is missing");
  const owner: ServiceContext = {
    deps: { db } as unknown as CoreDeps,
    tenantId: bot.tenantId,
    actor: { type: "system", label: "e2e" },
  };
  const flow = await createFlow(owner, { botId: bot.id, document: notice });
  await publishFlow(owner, flow.id, {});
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
  page.on("dialog", (dialog) => void dialog.accept());
  await signInAsOwner(page, stack);
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await new Promise<void>((resolve) => (hubspot ? hubspot.close(() => resolve()) : resolve()));
});

/** Removes the dev overlay before a screenshot. */
async function shoot(path: string) {
  await page.evaluate(() => {
    for (const overlay of document.querySelectorAll("nextjs-portal")) overlay.remove();
  });
  await page.screenshot({ path, fullPage: false });
}

describe("integrations hub", () => {
  it("catalogue: HubSpot from its card with only a token; Shopify asks only for its access token", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/integrations/catalogue`);
      await page.fill("#connector-search", "shop");
      await page.locator("[data-testid='connector-shopify'] button:has-text('Use Shopify')").click();
      const shopify = page.locator("form[aria-label='Create an integration from Shopify']");
      await shopify.waitFor();
      // The connector fixes the header name: the form shows it and asks only for the token.
      expect(await shopify.locator("[data-testid='connector-fixed']").textContent()).toContain(
        "X-Shopify-Access-Token",
      );
      expect(await page.locator("#connector-shopify-credential-name").count()).toBe(0);
      expect(await page.locator("#connector-shopify-credential-value").count()).toBe(1);
      await shopify.locator("button:has-text('Cancel')").click();

      await page.fill("#connector-search", "hubspot");
      const card = page.locator("[data-testid='connector-hubspot']");
      expect(await card.textContent()).toContain("Create contact");
      await card.locator("button:has-text('Use HubSpot')").click();
      const form = page.locator("form[aria-label='Create an integration from HubSpot']");
      await form.waitFor();
      expect(await page.inputValue("#connector-hubspot-name")).toBe("hubspot");
      await page.fill("#connector-hubspot-base-url", hubspotUrl);
      await page.fill("#connector-hubspot-credential-token", TOKEN);
      await form.locator("button:has-text('Create integration')").click();
      await page.waitForSelector("[role='status']:has-text('Integration “hubspot” created')");

      await page.goto(`${stack.studioUrl}/integrations`);
      const row = page.locator("[data-testid='integration-hubspot']");
      await row.waitFor();
      expect(await row.textContent()).toContain("set …5566");
      expect(await page.textContent("[data-testid='breaker-hubspot']")).toBe("closed");
      expect(await page.content()).not.toContain(TOKEN);
    });
  }, 300_000);

  it("designer: picks 'HubSpot: create contact' with a variable for its input, and tests the request", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots/${stack.botId}`);
      await page.fill("input[aria-label='Flow name']", "Leads");
      await page.click("button:has-text('Create flow')");
      await page.waitForURL(/\/flows\//);
      await page.waitForSelector("[data-testid='node-start']");
      await page.click("[data-testid='tab-variables']");
      await page.fill("input[aria-label='New variable name']", "email");
      await page.locator("[data-testid='variables-panel'] button[type='submit']").click();
      await page.waitForSelector("[data-testid='variables-panel'] >> text=email");

      await page.click("[data-testid='palette-http']");
      const node = page.locator("[data-testid='node-http-1']");
      await node.waitFor();
      await node.locator(".flow-node-title").click();
      await page.click("[data-testid='tab-inspector']");
      const inspector = page.locator("[data-testid='inspector']");
      await inspector.waitFor();
      // The generic form does not offer raw `operation` / `inputs` fields: the picker edits them.
      await inspector.getByRole("combobox", { name: "Add an optional setting" }).first().click();
      const optional = await page.getByRole("listbox").getByRole("option").allTextContents();
      await page.keyboard.press("Escape");
      await page.getByRole("listbox").waitFor({ state: "detached" });
      expect(optional.length).toBeGreaterThan(0);
      expect(optional.filter((label) => /^(operation|inputs)$/i.test(label.trim()))).toEqual([]);

      await choose(page, "#inspector-http-1-connector-connector", "HubSpot");
      await choose(page, "#inspector-http-1-connector-integration", "hubspot");
      await choose(page, "#inspector-http-1-connector-operation", "Create contact");
      const email = page.locator("#inspector-http-1-connector-input-email");
      await email.waitFor();
      // The node now has an integration, an operation and inputs: the generic form shows the
      // integration it names, never the operation or its inputs as raw fields.
      expect(await page.inputValue("#inspector-http-1-integrationId")).toBe("hubspot");
      expect(await page.locator("#inspector-http-1-operation").count()).toBe(0);
      expect(await page.locator("[id^='inspector-http-1-inputs']").count()).toBe(0);
      // On the canvas the node says what it does, not a method and a placeholder URL.
      await expect
        .poll(() => node.locator(".flow-node-summary").textContent())
        .toBe("hubspot: Create contact");
      // The variable picker: "{{" offers the flow's variables; Enter picks one.
      await email.click();
      await email.pressSequentially("{{ ema");
      await page.waitForSelector("[role='option']:has-text('email')");
      await email.press("Enter");
      await expect.poll(() => email.inputValue()).toMatch(/^\{\{ ?email ?\}\}$/);

      const sandbox = page.locator("[data-testid='http-test-request']");
      await sandbox.locator("[data-testid='http-test-variables']").fill('{ "email": "ada@example.com" }');
      await sandbox.locator("button:has-text('Test request')").click();
      const result = page.locator("[data-testid='http-test-result']");
      await result.waitFor({ timeout: 10_000 }).catch(async (error) => {
        throw new Error(`${(error as Error).message}\n${await sandbox.textContent()}`);
      });
      expect(await result.locator("[role='status']").textContent()).toMatch(/^HTTP 201 · [\d.]+ ms$/);
      const sent = (await page.textContent("[data-testid='http-test-sent']")) ?? "";
      expect(sent).toContain("/crm/v3/objects/contacts");
      expect(sent).toContain("Bearer [redacted]");
      expect(sent).toContain("ada@example.com");
      expect(await page.textContent("[data-testid='http-test-response']")).toContain('"id": "512"');
      expect(await page.textContent("[data-testid='http-test-mapping']")).toBe("{}");
      // HubSpot got the documented request with the real token; the page never shows it.
      const call = received.at(-1);
      expect(call?.method).toBe("POST");
      expect(call?.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(JSON.parse(call?.body ?? "{}")).toEqual({ properties: { email: "ada@example.com" } });
      expect(await page.content()).not.toContain(TOKEN);
      await page.waitForSelector("[data-testid='save-state']:has-text('All changes saved')");
      await page.locator("[data-testid='http-test-mapping']").scrollIntoViewIfNeeded();
      await shoot(`${repoRoot}/docs/integrations.png`);
    });
  }, 300_000);

  it("triggers: creates one, shows its URL and secret, and fires it", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots/${stack.botId}/triggers`);
      // An invalid name is shown inline (the contract's rule), and nothing is created.
      await page.fill("#trigger-name", "Order Shipped!");
      await page.fill("#trigger-mapping", "orderId");
      await page.click("button:has-text('Create trigger')");
      expect(await page.getByTestId("error-name").textContent()).toContain("lower-case");
      expect(await page.getByTestId("error-mapping").textContent()).toContain("variable = expression");
      expect(await page.locator("#trigger-name").getAttribute("aria-invalid")).toBe("true");
      await page.fill("#trigger-name", "order-shipped");
      await choose(page, "#trigger-flow", "Order notice");
      await page.fill("#trigger-mapping", "orderId = data.order.id");
      await page.click("button:has-text('Create trigger')");
      const row = page.locator("[data-testid='trigger-order-shipped']");
      await row.waitFor();
      expect(await page.textContent("[data-testid='trigger-url-order-shipped']")).toBe(
        `POST /api/v1/bots/${stack.botId}/triggers/order-shipped`,
      );
      expect(await row.textContent()).toContain("orderId = data.order.id");

      await page.click("button:has-text('Generate or rotate the secret')");
      expect(await page.textContent("[data-testid='trigger-secret']")).toMatch(/^trsec_/);

      await row.locator("button:has-text('Fire…')").click();
      await page.fill(
        "#fire-trigger-body",
        JSON.stringify({ user: { id: "customer-42" }, data: { order: { id: "A-42" } } }),
      );
      await page.click("button:has-text('Fire trigger')");
      const fired = page.locator("[data-testid='fire-result']");
      await fired.waitFor();
      expect(await fired.textContent()).toContain("Order A-42 shipped");
      expect(await fired.textContent()).toContain("started on api");
      await shoot("/tmp/integrations-triggers.png");
    });
  }, 300_000);
});
