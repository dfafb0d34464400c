import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { colourFlow } from "./test-support/channel-flow";
import { type PlatformServer, startPlatformServer } from "./test-support/platform-server";
import { call, seedBot, startTestRuntime, type TestRuntime } from "./test-support/runtime-harness";

const BOT_TOKEN = "123456:ABC-test_token";
const from = { id: 4242, is_bot: false, first_name: "Ann", last_name: "Lee" };

let updateId = 1000;
const textUpdate = (chat: number, text: string, id = ++updateId) => ({
  update_id: id,
  message: {
    message_id: id,
    date: Math.floor(Date.now() / 1000),
    chat: { id: chat, type: "private" },
    from,
    text,
  },
});
const clickUpdate = (chat: number, data: string, label: string) => ({
  update_id: ++updateId,
  callback_query: {
    id: `cb-${updateId}`,
    from,
    data,
    message: {
      message_id: 1,
      chat: { id: chat, type: "private" },
      reply_markup: { inline_keyboard: [[{ text: label, callback_data: data }]] },
    },
  },
});

// Files the local Bot API holds: getFile answers a file_path, `/file/bot<token>/<path>` the bytes.
const PHOTO = Buffer.from("\xff\xd8\xff\xe0 a small jpeg's bytes", "latin1");
const DOCUMENT = Buffer.from("%PDF-1.4 the menu");
const VOICE = Buffer.from("OggS a voice note");
const FILES: Record<string, { path: string; bytes: Buffer }> = {
  "PHOTO-LARGE": { path: "photos/file_1.jpg", bytes: PHOTO },
  DOC1: { path: "documents/file_2.pdf", bytes: DOCUMENT },
  VOICE1: { path: "voice/file_3.oga", bytes: VOICE },
};
const mediaUpdate = (chat: number, media: Record<string, unknown>) => ({
  update_id: ++updateId,
  message: {
    message_id: updateId,
    date: Math.floor(Date.now() / 1000),
    chat: { id: chat, type: "private" },
    from,
    ...media,
  },
});

describe("Telegram channel end to end (embedded database, in-process queue)", () => {
  let t: TestRuntime;
  let telegram: PlatformServer;
  let seed: Awaited<ReturnType<typeof seedBot>>;
  let webhook: string;
  let secretToken: string;
  let messageId = 0;

  const sentTexts = (chat: number) =>
    telegram.calls
      .filter((c) => c.path.endsWith("/sendMessage") && String(c.body.chat_id) === String(chat))
      .map((c) => String(c.body.text));
  const post = (body: unknown, secret = secretToken) =>
    call(t.url, "POST", webhook, {
      body,
      headers: secret ? { "x-telegram-bot-api-secret-token": secret } : {},
    });

  beforeAll(async () => {
    telegram = await startPlatformServer((c) => {
      if (c.path.startsWith(`/file/bot${BOT_TOKEN}/`)) {
        const file = Object.values(FILES).find((f) => c.path.endsWith(`/${f.path}`));
        // Telegram's file server sends octet-stream; the runtime names the type by extension.
        return file
          ? { raw: file.bytes, headers: { "content-type": "application/octet-stream" }, body: null }
          : { status: 404, body: { ok: false, error_code: 404, description: "Not Found" } };
      }
      if (c.path.endsWith("/getFile")) {
        const file = FILES[String(c.body.file_id)];
        return file
          ? { body: { ok: true, result: { file_id: c.body.file_id, file_path: file.path } } }
          : {
              status: 400,
              body: { ok: false, error_code: 400, description: "Bad Request: invalid file_id" },
            };
      }
      if (!c.path.startsWith(`/bot${BOT_TOKEN}/`))
        return { status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } };
      if (c.path.endsWith("/getMe"))
        return { body: { ok: true, result: { id: 1, is_bot: true, username: "parley_test_bot" } } };
      if (
        c.path.endsWith("/setWebhook") ||
        c.path.endsWith("/answerCallbackQuery") ||
        c.path.endsWith("/sendChatAction")
      ) {
        return { body: { ok: true, result: true } };
      }
      messageId += 1;
      return { body: { ok: true, result: { message_id: messageId, chat: { id: c.body.chat_id } } } };
    });
    t = await startTestRuntime("embedded", {
      PARLEY_OUTBOUND_ALLOWED_HOSTS: "127.0.0.1",
      RUNTIME_PUBLIC_URL: "https://bots.example.com",
    });
    (t.runtime.deps as { channelDelivery?: unknown }).channelDelivery = {
      baseDelayMs: 50,
      maxAttempts: 5,
      typingDelayMs: 0, // the chat test asserts the indicator; a fast turn would not show it
    };
    seed = await seedBot(t.runtime, colourFlow);
  }, 120_000);
  afterAll(async () => {
    await t?.cleanup();
    await telegram?.close();
  }, 30_000);

  it("connects with setWebhook (webhook URL and a generated secret token); a refused token is a clear 422", async () => {
    const refused = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/channels`, {
      key: seed.key,
      body: { type: "telegram", credentials: { botToken: "999:wrong" }, settings: { apiUrl: telegram.url } },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain("setWebhook failed");
    const malformed = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/channels`, {
      key: seed.key,
      body: { type: "telegram", credentials: { botToken: "not-a-token" } },
    });
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors[0].path).toBe("credentials.botToken");

    const created = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/channels`, {
      key: seed.key,
      body: { type: "telegram", credentials: { botToken: BOT_TOKEN }, settings: { apiUrl: telegram.url } },
    });
    expect(created.status).toBe(201);
    expect(created.body.webhookUrl).toBe(
      `https://bots.example.com/api/v1/channels/${created.body.id}/webhook`,
    );
    expect(created.body.settings).toMatchObject({ botUsername: "parley_test_bot" });
    expect(JSON.stringify(created.body)).not.toContain(BOT_TOKEN);
    const setWebhook = telegram.callsTo("setWebhook").at(-1);
    expect(setWebhook?.body.url).toBe(created.body.webhookUrl);
    secretToken = String(setWebhook?.body.secret_token);
    expect(secretToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(JSON.stringify(created.body)).not.toContain(secretToken);
    webhook = `/api/v1/channels/${created.body.id}/webhook`;
  });

  it("refuses a missing or wrong secret token with 401, storing nothing", async () => {
    expect((await post(textUpdate(1, "hi"), "")).status).toBe(401);
    expect((await post(textUpdate(1, "hi"), "wrong-token")).status).toBe(401);
    expect(await t.runtime.deps.db.system.channelInboundEvent.count()).toBe(0);
  });

  it("runs a chat: update_id retries are one turn, inline keyboard clicks answer (answerCallbackQuery), typing shows", async () => {
    const first = textUpdate(77, "hello");
    expect((await post(first)).status).toBe(200);
    expect((await post(first)).status).toBe(200); // Telegram's retry of the same update
    await expect.poll(() => sentTexts(77), { timeout: 15_000 }).toEqual(["Pick a colour"]);
    const question = telegram.callsTo("sendMessage").find((c) => String(c.body.chat_id) === "77");
    expect(question?.body.reply_markup).toEqual({
      inline_keyboard: [[{ text: "Red", callback_data: "red" }], [{ text: "Blue", callback_data: "blue" }]],
    });
    expect(telegram.callsTo("sendChatAction").some((c) => c.body.action === "typing")).toBe(true);

    const click = clickUpdate(77, "blue", "Blue");
    expect((await post(click)).status).toBe(200);
    await expect
      .poll(() => sentTexts(77), { timeout: 15_000 })
      .toEqual(["Pick a colour", "You picked blue", "Anything else?"]);
    expect(telegram.callsTo("answerCallbackQuery").map((c) => c.body.callback_query_id)).toContain(
      click.callback_query.id,
    );

    const db = t.runtime.deps.db.forTenant(seed.tenant.id);
    const conversation = await db.conversation.findFirstOrThrow({
      where: { externalThreadId: "77" },
      include: { contact: true },
    });
    expect(conversation.channel).toBe("telegram");
    expect(conversation.contact?.displayName).toBe("Ann Lee");
    const users = await db.message.findMany({
      where: { conversationId: conversation.id, author: "user" },
      orderBy: { seq: "asc" },
    });
    expect(users.map((m) => m.text)).toEqual(["hello", "blue"]);
  }, 40_000);

  it("retries a reply refused with 429 (retry_after) then 500 twice: one delivery, in order", async () => {
    expect((await post(textUpdate(88, "hello"))).status).toBe(200);
    await expect.poll(() => sentTexts(88), { timeout: 15_000 }).toEqual(["Pick a colour"]);
    telegram.script("sendMessage", [
      {
        status: 429,
        headers: { "retry-after": "1" },
        body: {
          ok: false,
          error_code: 429,
          description: "Too Many Requests: retry after 1",
          parameters: { retry_after: 1 },
        },
      },
      { status: 500, body: { ok: false, error_code: 500, description: "Internal Server Error" } },
      { status: 500, body: { ok: false, error_code: 500, description: "Internal Server Error" } },
    ]);
    const before = telegram.callsTo("sendMessage").length;
    expect((await post(clickUpdate(88, "red", "Red"))).status).toBe(200);
    await expect.poll(() => telegram.callsTo("sendMessage").length - before, { timeout: 20_000 }).toBe(5);
    const attempts = telegram.callsTo("sendMessage").slice(before);
    expect(attempts.map((c) => String(c.body.text))).toEqual([
      "You picked red",
      "You picked red",
      "You picked red",
      "You picked red",
      "Anything else?",
    ]);
    expect(attempts[1]!.receivedAtMs - attempts[0]!.receivedAtMs).toBeGreaterThanOrEqual(950);
  }, 40_000);

  it("links photos, documents and voice notes through the runtime's file route (the bot token never stored); locations as coordinates", async () => {
    const photo = mediaUpdate(901, {
      photo: [{ file_id: "PHOTO-SMALL" }, { file_id: "PHOTO-LARGE" }],
      caption: "my pizza",
    });
    const document = mediaUpdate(902, {
      document: { file_id: "DOC1", file_name: "menu.pdf", mime_type: "application/pdf" },
    });
    const voice = mediaUpdate(903, { voice: { file_id: "VOICE1", mime_type: "audio/ogg" } });
    const location = mediaUpdate(904, { location: { latitude: 48.8584, longitude: 2.2945 } });
    for (const update of [photo, document, voice, location]) expect((await post(update)).status).toBe(200);

    const db = t.runtime.deps.db.system;
    const ids = [photo, document, voice, location].map((u) => String(u.update_id));
    await expect
      .poll(
        async () =>
          (await db.channelInboundEvent.findMany({ where: { eventId: { in: ids }, status: "done" } })).length,
        { timeout: 20_000 },
      )
      .toBe(4);
    const events = await db.channelInboundEvent.findMany({ where: { eventId: { in: ids } } });
    const payloadOf = (id: number) =>
      events.find((e) => e.eventId === String(id))?.payload as {
        attachments: { type: string; url?: string; name?: string; latitude?: number }[];
      };
    const channelId = webhook.split("/")[4];
    const linkBase = `https://bots.example.com/api/v1/channels/${channelId}/files/`;
    const photoUrl = payloadOf(photo.update_id).attachments[0]?.url ?? "";
    expect(photoUrl.startsWith(`${linkBase}PHOTO-LARGE?sig=`)).toBe(true);
    expect(payloadOf(document.update_id).attachments[0]).toMatchObject({ type: "file", name: "menu.pdf" });
    expect(payloadOf(voice.update_id).attachments[0]).toMatchObject({ type: "audio" });
    expect(payloadOf(location.update_id).attachments[0]).toEqual({
      type: "location",
      latitude: 48.8584,
      longitude: 2.2945,
    });
    // The transcript shows the caption and the link; neither it nor the stored events hold the bot token.
    const transcripts = await db.message.findMany({
      where: { author: "user", conversation: { externalThreadId: { in: ["901", "902", "903", "904"] } } },
    });
    expect(transcripts.map((m) => m.text)).toEqual(
      expect.arrayContaining([`my pizza\n[image] ${photoUrl}`, "[location] 48.8584,2.2945"]),
    );
    expect(JSON.stringify([events, transcripts])).not.toContain(BOT_TOKEN);
    expect(JSON.stringify([events, transcripts])).not.toContain("/file/bot");

    const local = (url: string) => url.replace("https://bots.example.com", "");
    const image = await fetch(`${t.url}${local(photoUrl)}`);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/jpeg");
    expect(image.headers.get("content-disposition")).toMatch(/^inline/);
    expect(image.headers.get("content-security-policy")).toContain("sandbox");
    expect(image.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await image.arrayBuffer()).equals(PHOTO)).toBe(true);
    const pdf = await fetch(`${t.url}${local(payloadOf(document.update_id).attachments[0]?.url ?? "")}`);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdf.headers.get("content-disposition")).toBe('attachment; filename="file_2.pdf"');
    expect(Buffer.from(await pdf.arrayBuffer()).equals(DOCUMENT)).toBe(true);
    const ogg = await fetch(`${t.url}${local(payloadOf(voice.update_id).attachments[0]?.url ?? "")}`);
    expect(ogg.headers.get("content-type")).toBe("audio/ogg");
    expect(Buffer.from(await ogg.arrayBuffer()).equals(VOICE)).toBe(true);
    // The download used the token server-side: getFile, then the file path.
    expect(telegram.callsTo("getFile").map((c) => c.body.file_id)).toEqual(["PHOTO-LARGE", "DOC1", "VOICE1"]);
    expect(telegram.calls.some((c) => c.path === `/file/bot${BOT_TOKEN}/photos/file_1.jpg`)).toBe(true);

    // A changed signature, or a signature moved to another file, is a 404 that reaches no platform.
    const calls = telegram.calls.length;
    const sig = new URL(photoUrl).searchParams.get("sig") ?? "";
    const tampered = await call(
      t.url,
      "GET",
      local(photoUrl).replace(/sig=./, `sig=${sig[0] === "A" ? "B" : "A"}`),
    );
    expect(tampered.status).toBe(404);
    const moved = await call(t.url, "GET", `/api/v1/channels/${channelId}/files/DOC1?sig=${sig}`);
    expect(moved.status).toBe(404);
    const unsigned = await call(t.url, "GET", `/api/v1/channels/${channelId}/files/DOC1`);
    expect(unsigned.status).toBe(404);
    expect(telegram.calls.length).toBe(calls);
  }, 60_000);

  it("answers 503 with Retry-After when the event cannot be stored (no database connection); the platform's retry is stored once", async () => {
    const db = t.runtime.deps.db.system;
    // The channel in the runtime's memory (a webhook reads its configuration once), then the insert
    // is the webhook's only database call.
    expect((await post(textUpdate(65, "hello"))).status).toBe(200);
    await expect.poll(() => sentTexts(65), { timeout: 15_000 }).toEqual(["Pick a colour"]);
    // A transaction owns the embedded server's one session until released: the webhooks' inserts
    // wait for it with the connections that store events (the runtime's pool for them, of 2) checked
    // out, and the third waits for one of those until its wait times out.
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let owning = () => {};
    const owns = new Promise<void>((resolve) => {
      owning = resolve;
    });
    const owner = db.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT 1`;
        owning();
        await released;
      },
      { maxWait: 30_000, timeout: 30_000 },
    );
    await owns;
    const updates = [66, 67, 68].map((chat) => textUpdate(chat, "hello"));
    const answers = updates.map((update) => post(update));
    let first: Awaited<(typeof answers)[number]>;
    try {
      // Nothing is stored while the session is held: the first answer is a refusal to store.
      first = await Promise.race(answers);
    } finally {
      release();
    }
    await owner;
    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toBe("5");
    const statuses = (await Promise.all(answers)).map((answer) => answer.status);
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
    const refused = updates.filter((_, i) => statuses[i] === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const update of refused) {
      expect(await db.channelInboundEvent.count({ where: { eventId: String(update.update_id) } })).toBe(0);
    }
    // Telegram sends each update again (the refused ones, and twice, say): stored and answered once.
    for (const update of updates) expect((await post(update)).status).toBe(200);
    for (const chat of [66, 67, 68]) {
      await expect.poll(() => sentTexts(chat), { timeout: 15_000 }).toEqual(["Pick a colour"]);
    }
    for (const update of updates) expect((await post(update)).status).toBe(200);
    const ids = updates.map((update) => String(update.update_id));
    expect(await db.channelInboundEvent.count({ where: { eventId: { in: ids } } })).toBe(3);
    const conversations = await db.conversation.findMany({
      where: { externalThreadId: { in: ["66", "67", "68"] } },
      include: { messages: { where: { author: "user" } } },
    });
    expect(conversations.map((c) => c.messages.map((m) => m.text))).toEqual([
      ["hello"],
      ["hello"],
      ["hello"],
    ]);
  }, 60_000);

  it("sends a test message to a chat id", async () => {
    const channel = (await call(t.url, "GET", `/api/v1/bots/${seed.bot.id}/channels`, { key: seed.key })).body
      .items[0];
    const sent = await call(t.url, "POST", `/api/v1/channels/${channel.id}/test-message`, {
      key: seed.key,
      body: { to: "555" },
    });
    expect(sent.body).toMatchObject({ delivered: true });
    expect(sentTexts(555)).toHaveLength(1);
  });
});
