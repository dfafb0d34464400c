import { slackSignature } from "@parley/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { colourFlow, handoffFlow } from "./test-support/channel-flow";
import { type PlatformServer, startPlatformServer } from "./test-support/platform-server";
import { call, seedBot, startTestRuntime, type TestRuntime } from "./test-support/runtime-harness";

const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const BOT_TOKEN = "xoxb-test-token-1234";

/** Headers Slack sends with a body signed by `secret` at `timestamp` (seconds). */
function slackHeaders(
  body: string,
  contentType: string,
  timestamp = Math.floor(Date.now() / 1000),
  secret = SIGNING_SECRET,
) {
  return {
    "content-type": contentType,
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": slackSignature(secret, String(timestamp), body),
  };
}

/** An Events API callback of a direct message. */
function directMessage(eventId: string, channel: string, text: string, user = "U100") {
  return JSON.stringify({
    type: "event_callback",
    team_id: "T1",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: "message", channel_type: "im", channel, user, text, ts: `${Date.now() / 1000}` },
  });
}

/** An Events API callback of a message in a public channel (a thread reply when `threadTs` is given). */
function channelEvent(
  eventId: string,
  event: {
    type: "message" | "app_mention";
    channel: string;
    text: string;
    ts: string;
    user?: string;
    threadTs?: string;
    parentUser?: string;
  },
) {
  return JSON.stringify({
    type: "event_callback",
    team_id: "T1",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event: {
      type: event.type,
      ...(event.type === "message" ? { channel_type: "channel" } : {}),
      channel: event.channel,
      user: event.user ?? "U100",
      text: event.text,
      ts: event.ts,
      ...(event.threadTs ? { thread_ts: event.threadTs } : {}),
      ...(event.parentUser ? { parent_user_id: event.parentUser } : {}),
    },
  });
}

/** An interactivity request: a click on a Block Kit button, form-encoded as Slack sends it. */
function buttonClick(channel: string, value: string, label: string, user = "U100", threadTs?: string) {
  const payload = {
    type: "block_actions",
    trigger_id: `trig-${Math.random().toString(36).slice(2)}`,
    user: { id: user, username: "ann", name: "ann" },
    channel: { id: channel },
    container: {
      type: "message",
      channel_id: channel,
      message_ts: "1.1",
      ...(threadTs ? { thread_ts: threadTs } : {}),
    },
    message: { ts: "1.1" },
    actions: [
      {
        action_id: "parley_1",
        type: "button",
        value,
        text: { type: "plain_text", text: label },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

const texts = (server: PlatformServer, channel: string) =>
  server
    .callsTo("chat.postMessage")
    .filter((c) => c.body.channel === channel)
    .map((c) => String(c.body.text));

describe("Slack channel end to end (Postgres + Redis, BullMQ)", () => {
  let t: TestRuntime;
  let slack: PlatformServer;
  let seed: Awaited<ReturnType<typeof seedBot>>;
  let channelId: string;
  let webhook: string;
  let ts = 1000;

  beforeAll(async () => {
    slack = await startPlatformServer((c) => {
      if (c.path.endsWith("/auth.test")) return { body: { ok: true, team_id: "T1", user_id: "UBOT" } };
      ts += 1;
      return { body: { ok: true, channel: c.body.channel, ts: `${ts}.000` } };
    });
    t = await startTestRuntime("postgres+redis", { PARLEY_OUTBOUND_ALLOWED_HOSTS: "127.0.0.1" });
    // Fast retries for the fault test (Retry-After is still honoured in full).
    (t.runtime.deps as { channelDelivery?: unknown }).channelDelivery = { baseDelayMs: 50, maxAttempts: 5 };
    seed = await seedBot(t.runtime, colourFlow);
  }, 120_000);
  afterAll(async () => {
    await t?.cleanup();
    await slack?.close();
  }, 30_000);

  it("refuses bad credentials with paths, then connects (auth.test) and never returns credentials", async () => {
    const bad = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/channels`, {
      key: seed.key,
      body: { type: "slack", credentials: { botToken: BOT_TOKEN }, settings: { apiUrl: "not a url" } },
    });
    expect(bad.status).toBe(422);
    const paths = bad.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["credentials.signingSecret", "settings.apiUrl"]));

    const created = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/channels`, {
      key: seed.key,
      body: {
        type: "slack",
        name: "Support Slack",
        credentials: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET },
        settings: { apiUrl: `${slack.url}/api/` },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type: "slack", name: "Support Slack", status: "active" });
    expect(created.body.webhookUrl).toBe(`http://localhost:4000/api/v1/channels/${created.body.id}/webhook`);
    expect(created.body.settings).toMatchObject({ teamId: "T1", botUserId: "UBOT" });
    expect(JSON.stringify(created.body)).not.toContain(BOT_TOKEN);
    expect(JSON.stringify(created.body)).not.toContain(SIGNING_SECRET);
    expect(slack.callsTo("auth.test")[0]?.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    channelId = created.body.id;
    webhook = `/api/v1/channels/${channelId}/webhook`;

    const listed = await call(t.url, "GET", `/api/v1/bots/${seed.bot.id}/channels`, { key: seed.key });
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([channelId]);
    const stored = await t.runtime.deps.db.system.channelConfig.findUniqueOrThrow({
      where: { id: channelId },
    });
    expect(stored.credentialsCiphertext).not.toContain(BOT_TOKEN);
  });

  it("answers the signed url_verification handshake", async () => {
    const body = JSON.stringify({
      type: "url_verification",
      token: "x",
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
    });
    const answer = await call(t.url, "POST", webhook, {
      rawBody: body,
      headers: slackHeaders(body, "application/json"),
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
  });

  it("refuses bad signatures and stale timestamps with 401, storing nothing", async () => {
    const body = directMessage("EvBad1", "D1", "hello");
    const wrongSecret = await call(t.url, "POST", webhook, {
      rawBody: body,
      headers: slackHeaders(body, "application/json", undefined, "another-secret"),
    });
    expect(wrongSecret.status).toBe(401);
    const tampered = await call(t.url, "POST", webhook, {
      rawBody: body.replace("hello", "hullo"),
      headers: slackHeaders(body, "application/json"),
    });
    expect(tampered.status).toBe(401);
    const stale = await call(t.url, "POST", webhook, {
      rawBody: body,
      headers: slackHeaders(body, "application/json", Math.floor(Date.now() / 1000) - 6 * 60),
    });
    expect(stale.status).toBe(401);
    const unsigned = await call(t.url, "POST", webhook, {
      rawBody: body,
      headers: { "content-type": "application/json" },
    });
    expect(unsigned.status).toBe(401);
    expect(
      await t.runtime.deps.db.system.channelInboundEvent.count({ where: { channelConfigId: channelId } }),
    ).toBe(0);
  });

  it("runs a conversation: a DM starts it, a retry is one turn, a button click answers, replies arrive in order", async () => {
    const first = directMessage("Ev100", "D100", "hello");
    const ack = await call(t.url, "POST", webhook, {
      rawBody: first,
      headers: slackHeaders(first, "application/json"),
    });
    expect(ack.status).toBe(200);
    // Slack retries when it thinks it was not acknowledged: same event id.
    const retry = await call(t.url, "POST", webhook, {
      rawBody: first,
      headers: { ...slackHeaders(first, "application/json"), "x-slack-retry-num": "1" },
    });
    expect(retry.status).toBe(200);
    await expect.poll(() => texts(slack, "D100"), { timeout: 15_000 }).toEqual(["Pick a colour"]);
    const question = slack.callsTo("chat.postMessage").find((c) => c.body.channel === "D100");
    const blocks = question?.body.blocks as {
      type: string;
      elements?: { value: string; text: { text: string } }[];
    }[];
    expect(blocks.at(-1)?.elements?.map((e) => [e.text.text, e.value])).toEqual([
      ["Red", "red"],
      ["Blue", "blue"],
    ]);

    const click = buttonClick("D100", "blue", "Blue");
    const clicked = await call(t.url, "POST", webhook, {
      rawBody: click,
      headers: slackHeaders(click, "application/x-www-form-urlencoded"),
    });
    expect(clicked.status).toBe(200);
    await expect
      .poll(() => texts(slack, "D100"), { timeout: 15_000 })
      .toEqual(["Pick a colour", "You picked blue", "Anything else?"]);

    const bye = directMessage("Ev101", "D100", "no thanks");
    await call(t.url, "POST", webhook, { rawBody: bye, headers: slackHeaders(bye, "application/json") });
    await expect.poll(() => texts(slack, "D100").at(-1), { timeout: 15_000 }).toBe("Bye");

    const db = t.runtime.deps.db.forTenant(seed.tenant.id);
    const conversations = await db.conversation.findMany({
      where: { channelConfigId: channelId, externalThreadId: "D100" },
    });
    expect(conversations).toHaveLength(1);
    expect(conversations[0]?.status).toBe("ended");
    const users = await db.message.findMany({
      where: { conversationId: conversations[0]!.id, author: "user" },
      orderBy: { seq: "asc" },
    });
    expect(users.map((m) => m.text)).toEqual(["hello", "blue", "no thanks"]);
    const identity = await db.contactIdentity.findFirstOrThrow({
      where: { channel: "slack", externalId: "U100" },
      include: { contact: true },
    });
    expect(identity.contact.attributes).toMatchObject({ colour: "blue" });

    // The thread's next message starts a new conversation for the same contact, colour kept.
    const again = directMessage("Ev102", "D100", "hi again");
    await call(t.url, "POST", webhook, { rawBody: again, headers: slackHeaders(again, "application/json") });
    await expect.poll(() => texts(slack, "D100").length, { timeout: 15_000 }).toBe(5);
    const next = await db.conversation.findFirstOrThrow({
      where: { externalThreadId: "D100", status: { not: "ended" } },
    });
    expect(next.contactId).toBe(identity.contactId);
    expect(next.variables).toMatchObject({ colour: "blue" });

    const status = await call(t.url, "GET", `/api/v1/channels/${channelId}`, { key: seed.key });
    expect(status.body.lastInboundAt).not.toBeNull();
    expect(status.body.lastOutboundAt).not.toBeNull();
  }, 60_000);

  it("continues a conversation in a channel thread: a mention opens it, replies in the thread answer, bystanders' threads are left alone", async () => {
    const post = async (body: string, contentType = "application/json") =>
      (await call(t.url, "POST", webhook, { rawBody: body, headers: slackHeaders(body, contentType) }))
        .status;
    const inThread = (threadTs: string) =>
      slack
        .callsTo("chat.postMessage")
        .filter((c) => c.body.channel === "C200" && c.body.thread_ts === threadTs)
        .map((c) => String(c.body.text));

    // The mention, and the same message's channel event (another event id): one turn, in a thread.
    const mention = { channel: "C200", text: "<@UBOT> hi", ts: "500.1" };
    expect(await post(channelEvent("EvT1", { type: "app_mention", ...mention }))).toBe(200);
    expect(await post(channelEvent("EvT1m", { type: "message", ...mention }))).toBe(200);
    await expect.poll(() => inThread("500.1"), { timeout: 15_000 }).toEqual(["Pick a colour"]);

    // People talking in a thread the bot has no conversation in: stored, but no turn and no reply.
    expect(
      await post(
        channelEvent("EvT2", {
          type: "message",
          channel: "C200",
          text: "lunch?",
          ts: "610.2",
          threadTs: "600.1",
          parentUser: "U300",
          user: "U300",
        }),
      ),
    ).toBe(200);

    expect(
      await post(buttonClick("C200", "red", "Red", "U100", "500.1"), "application/x-www-form-urlencoded"),
    ).toBe(200);
    await expect
      .poll(() => inThread("500.1"), { timeout: 15_000 })
      .toEqual(["Pick a colour", "You picked red", "Anything else?"]);
    // A plain reply in the thread (no mention) answers the open question.
    expect(
      await post(
        channelEvent("EvT3", {
          type: "message",
          channel: "C200",
          text: "no thanks",
          ts: "502.1",
          threadTs: "500.1",
          parentUser: "U100",
        }),
      ),
    ).toBe(200);
    await expect.poll(() => inThread("500.1").at(-1), { timeout: 15_000 }).toBe("Bye");

    const db = t.runtime.deps.db.forTenant(seed.tenant.id);
    const threads = await db.conversation.findMany({
      where: { channelConfigId: channelId, externalThreadId: { startsWith: "C200" } },
      select: { externalThreadId: true, id: true },
    });
    expect(threads.map((c) => c.externalThreadId)).toEqual(["C200:500.1"]);
    const users = await db.message.findMany({
      where: { conversationId: threads[0]!.id, author: "user" },
      orderBy: { seq: "asc" },
    });
    expect(users.map((m) => m.text)).toEqual(["hi", "red", "no thanks"]);
    expect(inThread("600.1")).toEqual([]);
    await expect
      .poll(
        async () =>
          (await db.channelInboundEvent.findFirst({ where: { channelConfigId: channelId, eventId: "EvT2" } }))
            ?.status,
        { timeout: 15_000 },
      )
      .toBe("done");
  }, 60_000);

  it("ignores bot messages and edits", async () => {
    const botEcho = JSON.stringify({
      type: "event_callback",
      event_id: "EvBot",
      event: { type: "message", channel_type: "im", channel: "D200", bot_id: "B1", text: "echo", ts: "1.2" },
    });
    const edit = JSON.stringify({
      type: "event_callback",
      event_id: "EvEdit",
      event: { type: "message", subtype: "message_changed", channel_type: "im", channel: "D200", ts: "1.3" },
    });
    for (const body of [botEcho, edit]) {
      const answer = await call(t.url, "POST", webhook, {
        rawBody: body,
        headers: slackHeaders(body, "application/json"),
      });
      expect(answer.status).toBe(200);
    }
    expect(await t.runtime.deps.db.system.channelInboundEvent.count({ where: { threadId: "D200" } })).toBe(0);
  });

  it("retries a reply refused with 429 (Retry-After) then 500 twice: delivered once, the next reply after it", async () => {
    const start = directMessage("Ev300", "D300", "hello");
    await call(t.url, "POST", webhook, { rawBody: start, headers: slackHeaders(start, "application/json") });
    await expect.poll(() => texts(slack, "D300"), { timeout: 15_000 }).toEqual(["Pick a colour"]);
    slack.script("chat.postMessage", [
      { status: 429, headers: { "retry-after": "1" }, body: { ok: false, error: "ratelimited" } },
      { status: 500, body: { ok: false, error: "internal_error" } },
      { status: 500, body: { ok: false, error: "internal_error" } },
    ]);
    const before = slack.calls.length;
    const started = Date.now();
    const click = buttonClick("D300", "red", "Red");
    await call(t.url, "POST", webhook, {
      rawBody: click,
      headers: slackHeaders(click, "application/x-www-form-urlencoded"),
    });
    await expect.poll(() => slack.calls.length - before, { timeout: 20_000 }).toBe(5);
    const attempts = slack.calls.slice(before).map((c) => String(c.body.text));
    expect(attempts).toEqual([
      "You picked red",
      "You picked red",
      "You picked red",
      "You picked red",
      "Anything else?",
    ]);
    // The 429's Retry-After (1 s) was honoured before the second attempt.
    const retried = slack.calls[before + 1]!.receivedAtMs - slack.calls[before]!.receivedAtMs;
    expect(retried).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(15_000);
    // The pass records its sends after its last call: the row may land just after the call arrived.
    const picked = async () =>
      (
        await t.runtime.deps.db.system.channelDelivery.findMany({
          where: { channelConfigId: channelId, attempts: 4 },
          orderBy: { seq: "asc" },
        })
      ).map((d) => d.status);
    await expect.poll(picked, { timeout: 10_000 }).toEqual(["sent"]);
  }, 40_000);

  it("shows a reply that finally failed in the transcript and in the channel's status", async () => {
    const start = directMessage("Ev400", "D400", "hello");
    slack.script("chat.postMessage", [{ body: { ok: false, error: "channel_not_found" } }]);
    await call(t.url, "POST", webhook, { rawBody: start, headers: slackHeaders(start, "application/json") });
    const db = t.runtime.deps.db.forTenant(seed.tenant.id);
    await expect
      .poll(
        async () =>
          (
            await db.message.findMany({
              where: { conversation: { externalThreadId: "D400" }, author: "system" },
            })
          ).map((m) => m.text),
        { timeout: 15_000 },
      )
      .toEqual(["A reply could not be delivered on slack: Slack refused the call: channel_not_found"]);
    const status = await call(t.url, "GET", `/api/v1/channels/${channelId}`, { key: seed.key });
    expect(status.body.status).toBe("error");
    expect(status.body.lastError).toContain("channel_not_found");
    expect(texts(slack, "D400")).toEqual(["Pick a colour"]); // the refused attempt only
  }, 30_000);

  it("sends a test message, sends agents' replies, disables and deletes the channel", async () => {
    const test = await call(t.url, "POST", `/api/v1/channels/${channelId}/test-message`, {
      key: seed.key,
      body: { to: "C999", text: "ping" },
    });
    expect(test.status).toBe(200);
    expect(test.body.delivered).toBe(true);
    expect(texts(slack, "C999")).toEqual(["ping"]);

    // A second bot that hands every conversation to an agent, on its own Slack channel.
    const agentBot = await seedBot(t.runtime, handoffFlow);
    const created = await call(t.url, "POST", `/api/v1/bots/${agentBot.bot.id}/channels`, {
      key: agentBot.key,
      body: {
        type: "slack",
        credentials: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET },
        settings: { apiUrl: `${slack.url}/api/` },
      },
    });
    const agentHook = `/api/v1/channels/${created.body.id}/webhook`;
    const hello = directMessage("Ev500", "D500", "I need help");
    await call(t.url, "POST", agentHook, {
      rawBody: hello,
      headers: slackHeaders(hello, "application/json"),
    });
    await expect
      .poll(() => texts(slack, "D500"), { timeout: 15_000 })
      .toEqual(["Connecting you to a person"]);
    const conversation = await t.runtime.deps.db
      .forTenant(agentBot.tenant.id)
      .conversation.findFirstOrThrow({ where: { externalThreadId: "D500" } });
    expect(conversation.status).toBe("handoff");
    const reply = await call(t.url, "POST", `/api/v1/conversations/${conversation.id}/messages`, {
      key: agentBot.key,
      body: { author: "agent", text: "Hi, I am Sam" },
    });
    expect(reply.status).toBe(200);
    await expect
      .poll(() => texts(slack, "D500"), { timeout: 15_000 })
      .toEqual(["Connecting you to a person", "Hi, I am Sam"]);

    const disabled = await call(t.url, "PATCH", `/api/v1/channels/${channelId}`, {
      key: seed.key,
      body: { enabled: false },
    });
    expect(disabled.body.status).toBe("disabled");
    const body = directMessage("Ev600", "D600", "hello");
    await expect
      .poll(
        async () =>
          (
            await call(t.url, "POST", webhook, {
              rawBody: body,
              headers: slackHeaders(body, "application/json"),
            })
          ).status,
      )
      .toBe(403);
    const deleted = await call(t.url, "DELETE", `/api/v1/channels/${channelId}`, { key: seed.key });
    expect(deleted.status).toBe(204);
    await expect
      .poll(
        async () =>
          (
            await call(t.url, "POST", webhook, {
              rawBody: body,
              headers: slackHeaders(body, "application/json"),
            })
          ).status,
      )
      .toBe(404);
    const audit = await t.runtime.deps.db
      .forTenant(seed.tenant.id)
      .auditLogEntry.findMany({ where: { targetId: channelId } });
    expect(audit.map((a) => a.action).sort()).toEqual(["channel.create", "channel.delete", "channel.update"]);
    expect(JSON.stringify(audit)).not.toContain(BOT_TOKEN);
  }, 40_000);
});
