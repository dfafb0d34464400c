import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { colourFlow } from "./test-support/channel-flow";
import { type PlatformServer, startPlatformServer } from "./test-support/platform-server";
import { call, seedBot, startTestRuntime, type TestRuntime } from "./test-support/runtime-harness";

const BOT_TOKEN = "654321:TRIGGER-test_token";

/**
 * A trigger on a messaging channel is a proactive message: the bot's first messages go out on the
 * channel (through its delivery queue) to the chat the request names, and the person's answer on
 * that chat continues the same conversation.
 */
describe("a trigger on a Telegram channel (embedded database, in-process queue)", () => {
  let t: TestRuntime;
  let telegram: PlatformServer;
  let seed: Awaited<ReturnType<typeof seedBot>>;
  let webhook: string;
  let secretToken: string;
  let messageId = 0;

  const sentTexts = (chat: string) =>
    telegram
      .callsTo("sendMessage")
      .filter((c) => String(c.body.chat_id) === chat)
      .map((c) => String(c.body.text));

  beforeAll(async () => {
    telegram = await startPlatformServer((c) => {
      if (!c.path.startsWith(`/bot${BOT_TOKEN}/`))
        return { status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } };
      if (c.path.endsWith("/getMe"))
        return { body: { ok: true, result: { id: 1, is_bot: true, username: "trigger_test_bot" } } };
      if (!c.path.endsWith("/sendMessage")) return { body: { ok: true, result: true } };
      messageId += 1;
      return { body: { ok: true, result: { message_id: messageId, chat: { id: c.body.chat_id } } } };
    });
    t = await startTestRuntime("embedded", {
      PARLEY_OUTBOUND_ALLOWED_HOSTS: "127.0.0.1",
      RUNTIME_PUBLIC_URL: "https://bots.example.com",
    });
    seed = await seedBot(t.runtime, colourFlow);
    const channel = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/channels`, {
      key: seed.key,
      body: { type: "telegram", credentials: { botToken: BOT_TOKEN }, settings: { apiUrl: telegram.url } },
    });
    expect(channel.status).toBe(201);
    webhook = `/api/v1/channels/${channel.body.id}/webhook`;
    secretToken = String(telegram.callsTo("setWebhook").at(-1)?.body.secret_token);
  }, 120_000);
  afterAll(async () => {
    await t?.cleanup();
    await telegram?.close();
  }, 30_000);

  it("sends the flow's first message to the chat, and the answer on the chat continues the conversation", async () => {
    const trigger = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/triggers`, {
      key: seed.key,
      body: { name: "nudge", channel: "telegram" },
    });
    expect(trigger.status, JSON.stringify(trigger.body)).toBe(201);

    const fired = await call(t.url, "POST", trigger.body.url, {
      key: seed.key,
      body: { user: { id: "555", name: "Ann" } },
    });
    expect(fired.status, JSON.stringify(fired.body)).toBe(201);
    expect(fired.body.channel).toBe("telegram");
    await expect.poll(() => sentTexts("555"), { timeout: 15_000 }).toEqual(["Pick a colour"]);
    const question = telegram.callsTo("sendMessage").find((c) => String(c.body.chat_id) === "555");
    expect(question?.body.reply_markup).toEqual({
      inline_keyboard: [[{ text: "Red", callback_data: "red" }], [{ text: "Blue", callback_data: "blue" }]],
    });

    const db = t.runtime.deps.db.forTenant(seed.tenant.id);
    const conversation = await db.conversation.findFirstOrThrow({ where: { id: fired.body.conversationId } });
    expect(conversation.channelConfigId).toBe(webhook.split("/")[4]);
    expect(conversation.externalThreadId).toBe("555");

    // Ann answers by pressing a button on the message the trigger sent.
    const click = {
      update_id: 9001,
      callback_query: {
        id: "cb-9001",
        from: { id: 555, is_bot: false, first_name: "Ann" },
        data: "blue",
        message: { message_id: 1, chat: { id: 555, type: "private" } },
      },
    };
    const posted = await call(t.url, "POST", webhook, {
      body: click,
      headers: { "x-telegram-bot-api-secret-token": secretToken },
    });
    expect(posted.status).toBe(200);
    await expect
      .poll(() => sentTexts("555"), { timeout: 15_000 })
      .toEqual(["Pick a colour", "You picked blue", "Anything else?"]);
    expect(await db.conversation.count({ where: { externalThreadId: "555" } })).toBe(1);
    const delivered = await db.channelDelivery.findMany({ where: { conversationId: conversation.id } });
    expect(delivered.length).toBeGreaterThanOrEqual(3);
    expect(delivered.every((row) => row.status === "sent")).toBe(true);
  }, 60_000);

  it("refuses a messaging trigger without a recipient, and one for a channel the bot does not have", async () => {
    const noRecipient = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/triggers/nudge`, {
      key: seed.key,
      body: {},
    });
    expect(noRecipient.status).toBe(422);
    expect(noRecipient.body.errors.map((e: { path: string }) => e.path)).toEqual(["user"]);

    const whatsapp = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/triggers`, {
      key: seed.key,
      body: { name: "wa", channel: "whatsapp" },
    });
    expect(whatsapp.status).toBe(201);
    const refused = await call(t.url, "POST", whatsapp.body.url, {
      key: seed.key,
      body: { user: { id: "4915112345678" } },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain("no enabled whatsapp channel");
  }, 30_000);
});
