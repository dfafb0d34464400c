import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type CoreDeps, createFlow, publishFlow, type ServiceContext } from "@parley/core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { choose } from "./choose";
import {
  launchChromium,
  readRepoJson,
  repoRoot,
  type StudioStack,
  signInAsOwner,
  startStudioStack,
  withStackLog,
} from "./stack";

/**
 * The Channels tab in Debian's Chromium, against a local server speaking the Telegram Bot API and
 * the WhatsApp Cloud API: the connect wizard (inline errors, a generated verify token to copy),
 * connecting Telegram (setWebhook received), the webhook URL to copy, a test message the server
 * receives, live status as a real update flows through the runtime (last inbound, last outbound)
 * and a refused send (last error), disable/enable, a WhatsApp template sent from its form (errors
 * inline), and delete through an accessible confirmation dialog.
 */
const BOT_TOKEN = "123456:ABC-e2e_token";
let stack: StudioStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let platform: Server;
let platformUrl: string;

interface Received {
  path: string;
  body: Record<string, unknown>;
}
const received: Received[] = [];
const callsTo = (suffix: string) => received.filter((call) => call.path.endsWith(suffix));

/** Telegram's Bot API (setWebhook, getMe, sendMessage, sendChatAction) and Graph's `/{phone-id}/messages`. */
function answer(call: Received): { status: number; body: unknown } {
  if (call.path.startsWith(`/bot${BOT_TOKEN}/`)) {
    const method = call.path.split("/").at(-1);
    if (method === "getMe")
      return { status: 200, body: { ok: true, result: { id: 1, username: "e2e_bot" } } };
    if (method === "sendMessage" && String(call.body.chat_id) === "666")
      return {
        status: 400,
        body: { ok: false, error_code: 400, description: "Bad Request: chat not found" },
      };
    if (method === "sendMessage" || method === "sendPhoto")
      return { status: 200, body: { ok: true, result: { message_id: received.length } } };
    return { status: 200, body: { ok: true, result: true } };
  }
  if (call.path.startsWith("/bot")) {
    return { status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } };
  }
  if (call.path === "/1234567890/messages") {
    const template = call.body.template as { name?: string } | undefined;
    if (template?.name === "missing_template")
      return {
        status: 404,
        body: {
          error: { message: "(#132001) Template name does not exist in the translation", code: 132001 },
        },
      };
    return { status: 200, body: { messaging_product: "whatsapp", messages: [{ id: "wamid.E2E1" }] } };
  }
  return { status: 404, body: { error: { message: "no such route" } } };
}

beforeAll(async () => {
  platform = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const call = { path: (request.url ?? "/").split("?")[0] ?? "/", body: raw ? JSON.parse(raw) : {} };
      received.push(call);
      const { status, body } = answer(call);
      response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => platform.listen(0, "127.0.0.1", resolve));
  const port = (platform.address() as AddressInfo).port;
  platformUrl = `http://127.0.0.1:${port}/`;
  // The studio's and the runtime's guarded clients may call this loopback server (the operator allowlist).
  process.env.PARLEY_OUTBOUND_ALLOWED_HOSTS = `127.0.0.1:${port}`;
  stack = await startStudioStack({ withRuntime: true });
  const db = stack.db.db;
  const bot = await db.system.bot.findFirst({ where: { id: stack.botId } });
  if (!bot) throw new Error("the stack's bot is missing");
  // A published flow, so a Telegram update runs a real turn whose reply goes back to the server.
  const owner: ServiceContext = {
    deps: { db } as unknown as CoreDeps,
    tenantId: bot.tenantId,
    actor: { type: "system", label: "e2e" },
  };
  const flow = await createFlow(owner, {
    botId: bot.id,
    document: readRepoJson("examples/flows/pizza-order.json") as Record<string, unknown>,
  });
  await publishFlow(owner, flow.id, { note: "for the channels test" });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.studioUrl });
  page = await context.newPage();
  await signInAsOwner(page, stack);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await new Promise<void>((resolve) => (platform ? platform.close(() => resolve()) : resolve()));
});

const clipboard = () => page.evaluate(() => navigator.clipboard.readText());

describe("channels tab", () => {
  it("connects Telegram through the wizard and shows its webhook URL, test message, live status, disable/enable and delete", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots/${stack.botId}/channels`);
      await page.getByRole("heading", { name: "Channels", level: 1 }).waitFor();
      await page.getByText("No channel connected yet.").waitFor();
      const wizard = page.getByRole("form", { name: "Connect a channel" });

      // Meta platforms: a verify token is proposed, in the clear, with a button to copy it.
      await choose(page, wizard.getByLabel("Platform"), "WhatsApp");
      const verifyToken = wizard.getByRole("textbox", { name: "Verify token" });
      await expect.poll(() => verifyToken.inputValue()).toMatch(/^[0-9a-f]{48}$/);
      await wizard.getByRole("button", { name: "Copy verify token" }).click();
      expect(await clipboard()).toBe(await verifyToken.inputValue());

      // Bad input is shown inline, by its field, before anything is sent (the platform's own schema).
      await choose(page, wizard.getByLabel("Platform"), "Telegram");
      await wizard.getByLabel("Bot token").fill("not-a-token");
      await wizard.getByLabel("Bot API URL (optional)").fill("ftp://example.com");
      await wizard.getByRole("button", { name: "Connect Telegram" }).click();
      await page.getByTestId("error-credentials.botToken").waitFor();
      expect(await page.getByTestId("error-credentials.botToken").textContent()).toContain("@BotFather");
      expect(await page.getByTestId("error-settings.apiUrl").textContent()).toContain("http");
      expect(await wizard.getByLabel("Bot token").getAttribute("aria-invalid")).toBe("true");
      expect(callsTo("/setWebhook")).toHaveLength(0);

      await wizard.getByLabel("Name (optional)").fill("Support Telegram");
      await wizard.getByLabel("Bot token").fill(BOT_TOKEN);
      await wizard.getByLabel("Bot API URL (optional)").fill(platformUrl);
      await wizard.getByRole("button", { name: "Connect Telegram" }).click();
      const card = page.getByRole("article", { name: "Channel Support Telegram" });
      await card.waitFor();

      // Connecting registered the webhook URL shown, with a secret token, and never shows the token.
      const webhookUrl = await card.getByTestId("webhook-url").inputValue();
      expect(webhookUrl).toMatch(/\/api\/v1\/channels\/[0-9a-f-]{36}\/webhook$/);
      const setWebhook = callsTo("/setWebhook").at(-1);
      expect(setWebhook?.body.url).toBe(webhookUrl);
      const secretToken = String(setWebhook?.body.secret_token);
      expect(secretToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      expect(await page.content()).not.toContain(BOT_TOKEN);
      expect(await page.content()).not.toContain(secretToken);
      await card.getByRole("button", { name: "Copy webhook URL" }).click();
      expect(await clipboard()).toBe(webhookUrl);
      expect(await card.getByTestId("channel-status").textContent()).toBe("active");
      expect(await card.getByTestId("last-inbound").textContent()).toBe("never");

      // A test message reaches the platform.
      await card.getByLabel("Send a test message to").fill("555");
      await card.getByRole("button", { name: "Send test message" }).click();
      await card.getByTestId("test-message-result").getByText("Delivered.").waitFor();
      expect(callsTo("/sendMessage").map((call) => call.body.chat_id)).toContain("555");

      // A real update through the runtime's webhook: live status shows it, and the bot's reply.
      expect(stack.runtimeUrl, "the runtime must run for the live status part").not.toBeNull();
      {
        const channelId = webhookUrl.split("/").at(-2);
        const update = await fetch(`${stack.runtimeUrl}/api/v1/channels/${channelId}/webhook`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secretToken },
          body: JSON.stringify({
            update_id: 9001,
            message: {
              message_id: 1,
              date: Math.floor(Date.now() / 1000),
              chat: { id: 4242, type: "private" },
              from: { id: 4242, is_bot: false, first_name: "Ann" },
              text: "hi",
            },
          }),
        });
        expect(update.status).toBe(200);
        await expect
          .poll(() => callsTo("/sendMessage").filter((call) => String(call.body.chat_id) === "4242").length, {
            timeout: 60_000,
          })
          .toBeGreaterThan(0);
        await expect
          .poll(() => card.getByTestId("last-inbound").textContent(), { timeout: 30_000 })
          .not.toBe("never");
        expect(await card.getByTestId("last-outbound").textContent()).not.toBe("never");
      }

      // A refused send: shown inline, and as the channel's last error.
      await card.getByLabel("Send a test message to").fill("666");
      await card.getByRole("button", { name: "Send test message" }).click();
      await card
        .getByTestId("test-message-result")
        .getByText(/chat not found/)
        .waitFor();
      await expect
        .poll(() => card.getByTestId("last-error").textContent(), { timeout: 30_000 })
        .toContain("chat not found");
      expect(await card.getByTestId("channel-status").textContent()).toBe("error");

      // The status comes back with the list's refetch after the change (slow on a loaded machine).
      await card.getByRole("button", { name: "Disable" }).click();
      await expect
        .poll(() => card.getByTestId("channel-status").textContent(), { timeout: 15_000 })
        .toBe("disabled");
      await card.getByRole("button", { name: "Enable" }).click();
      await expect
        .poll(() => card.getByTestId("channel-status").textContent(), { timeout: 15_000 })
        .not.toBe("disabled");
    });
  });

  it("sends a WhatsApp template from its form, with problems shown by their fields", async () => {
    await withStackLog(stack, async () => {
      const wizard = page.getByRole("form", { name: "Connect a channel" });
      await choose(page, wizard.getByLabel("Platform"), "WhatsApp");
      await wizard.getByLabel("Name (optional)").fill("Support WhatsApp");
      await wizard.getByLabel("Access token").fill("EAAG-e2e-access-token");
      await wizard.getByLabel("App secret").fill("e2e-app-secret");
      await wizard.getByLabel("Phone number id").fill("1234567890");
      await wizard.getByLabel("Graph API URL (optional)").fill(platformUrl);
      await wizard.getByRole("button", { name: "Connect WhatsApp" }).click();
      const card = page.getByRole("article", { name: "Channel Support WhatsApp" });
      await card.waitFor();
      const form = card.getByRole("form", { name: "Send a WhatsApp template through Support WhatsApp" });

      // The recipient is picked among the contacts with a WhatsApp number (a combobox over them).
      const db = stack.db.db.system;
      const bot = await db.bot.findFirstOrThrow({ where: { id: stack.botId } });
      await db.contact.create({
        data: {
          tenantId: bot.tenantId,
          displayName: "Ann Picker",
          identities: {
            create: { channel: "whatsapp", externalId: "15550001111" },
          },
        },
      });
      await form.getByRole("combobox", { name: "Send to" }).fill("Ann Pick");
      const choice = page
        .getByTestId("template-contacts")
        .getByRole("option", { name: "Ann Picker (+15550001111)" });
      await choice.waitFor({ timeout: 15_000 });
      await choice.click();
      expect(await form.getByLabel("Send to").inputValue()).toBe("15550001111");
      await page.getByTestId("template-contacts").waitFor({ state: "detached" });

      await form.getByLabel("Template name").fill("Order Update!");
      await form.getByLabel("Send to").fill("call me");
      await form.getByRole("button", { name: "Send template" }).click();
      await form.getByText(/template's name as approved/).waitFor();
      expect(await form.getByText(/recipient's phone number/).count()).toBe(1);
      expect(await form.getByLabel("Send to").getAttribute("aria-invalid")).toBe("true");

      // Meta refusing the template comes back as its message.
      await form.getByLabel("Template name").fill("missing_template");
      await form.getByLabel("Send to").fill("+15551234567");
      await form.getByRole("button", { name: "Send template" }).click();
      await form
        .getByRole("alert")
        .getByText(/Template name does not exist/)
        .waitFor();

      await form.getByLabel("Template name").fill("order_update");
      await form.getByLabel("Language").fill("en_US");
      await form.getByLabel("{{1}}").fill("Ann");
      await form.getByRole("button", { name: "Add parameter" }).click();
      await form.getByLabel("{{2}}").fill("#42");
      await form.getByRole("button", { name: "Send template" }).click();
      await form.getByTestId("template-result").getByText("wamid.E2E1").waitFor();
      const sent = callsTo("/1234567890/messages").at(-1)?.body as {
        to: string;
        template: { name: string; language: { code: string }; components: unknown[] };
      };
      expect(sent).toMatchObject({
        to: "15551234567",
        type: "template",
        template: {
          name: "order_update",
          language: { code: "en_US" },
          components: [
            {
              type: "body",
              parameters: [
                { type: "text", text: "Ann" },
                { type: "text", text: "#42" },
              ],
            },
          ],
        },
      });
    });
  });

  it("deletes a channel only after the confirmation dialog (and shows the page for the docs)", async () => {
    await withStackLog(stack, async () => {
      await page.getByRole("article", { name: "Channel Support Telegram" }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(repoRoot, "docs/channels.png"), fullPage: true });

      const card = page.getByRole("article", { name: "Channel Support WhatsApp" });
      await card.getByRole("button", { name: "Delete" }).click();
      const dialog = page.getByRole("alertdialog", { name: "Delete Support WhatsApp?" });
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain("credentials are erased");
      // Escape, like Cancel, keeps the channel.
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "hidden" });
      // Still there (the page leaves the dialog's aria-hidden only after its exit animation, so wait).
      await card.waitFor();

      await card.getByRole("button", { name: "Delete" }).click();
      await dialog.getByRole("button", { name: "Delete channel" }).click();
      await card.waitFor({ state: "detached" });
      const telegram = page.getByRole("article", { name: "Channel Support Telegram" });
      await telegram.getByRole("button", { name: "Delete" }).click();
      await page
        .getByRole("alertdialog", { name: "Delete Support Telegram?" })
        .getByRole("button", { name: "Cancel" })
        .click();
      await page.getByRole("alertdialog").waitFor({ state: "hidden" });
      await telegram.waitFor();
      await telegram.getByRole("button", { name: "Delete" }).click();
      await page
        .getByRole("alertdialog", { name: "Delete Support Telegram?" })
        .getByRole("button", { name: "Delete channel" })
        .click();
      await page.getByText("No channel connected yet.").waitFor();
      expect(await stack.db.db.system.channelConfig.count()).toBe(0);
    });
  });
});
