import { createGuardedHttpClient } from "@parley/infra";
import { afterAll, describe, expect, it } from "vitest";
import { startLocalPlatformServer } from "../shared/local-platform-server.test-support";
import { telegramAdapter, telegramCredentialsSchema } from ".";
import { parseTelegramUpdate as parseWithLinks } from "./telegram-events";
import { renderTelegram } from "./telegram-render";

const request = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST" as const,
  headers,
  query: {},
  rawBody: Buffer.from(JSON.stringify(body)),
});

const parseTelegramUpdate = (request: Parameters<typeof parseWithLinks>[0]) =>
  parseWithLinks(request, (fileId) => `https://runtime.test/files/${fileId}`);

// The secret-token check is offline: a network call from verify would fail the test.
const offline: typeof fetch = () => Promise.reject(new Error("verify must not use the network"));

describe("Telegram", () => {
  it("generates a secret token when none is given and checks it on every update", async () => {
    const credentials = telegramCredentialsSchema.parse({ botToken: "123:abc" });
    expect(credentials.secretToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(telegramCredentialsSchema.safeParse({ botToken: "nope" }).success).toBe(false);
    const connection = { channelId: "c", credentials, settings: {}, webhookUrl: "" };
    const good = request({ update_id: 1 }, { "x-telegram-bot-api-secret-token": credentials.secretToken });
    expect(await telegramAdapter.verify(good, connection, 0, offline)).toEqual({ ok: true });
    const bad = request({ update_id: 1 }, { "x-telegram-bot-api-secret-token": "wrong" });
    expect((await telegramAdapter.verify(bad, connection, 0, offline)).ok).toBe(false);
  });

  it("normalises messages, photos, locations and callback queries; ignores edits and bots", () => {
    const from = { id: 42, first_name: "Ann", last_name: "Lee" };
    expect(
      parseTelegramUpdate(
        request({ update_id: 7, message: { message_id: 1, chat: { id: 9 }, from, text: "hi" } }),
      ),
    ).toEqual([
      expect.objectContaining({
        eventId: "7",
        externalUserId: "42",
        displayName: "Ann Lee",
        threadId: "9",
        text: "hi",
      }),
    ]);
    const photo = parseTelegramUpdate(
      request({
        update_id: 8,
        message: { message_id: 2, chat: { id: 9 }, from, photo: [{ file_id: "s" }, { file_id: "L" }] },
      }),
    );
    expect(photo[0]).toMatchObject({ attachments: [{ type: "image", url: "https://runtime.test/files/L" }] });
    const location = parseTelegramUpdate(
      request({
        update_id: 9,
        message: { message_id: 3, chat: { id: 9 }, from, location: { latitude: 1.5, longitude: 2 } },
      }),
    );
    expect(location[0]).toMatchObject({ attachments: [{ type: "location", latitude: 1.5, longitude: 2 }] });
    const click = parseTelegramUpdate(
      request({
        update_id: 10,
        callback_query: {
          id: "cb1",
          from,
          data: "blue",
          message: {
            message_id: 4,
            chat: { id: 9 },
            reply_markup: { inline_keyboard: [[{ text: "Blue", callback_data: "blue" }]] },
          },
        },
      }),
    );
    expect(click[0]).toMatchObject({
      buttonValue: "blue",
      text: "Blue",
      replyContext: { chat_id: "9", callback_query_id: "cb1" },
    });
    expect(
      parseTelegramUpdate(
        request({ update_id: 11, edited_message: { message_id: 1, chat: { id: 9 }, from, text: "x" } }),
      )[0],
    ).toMatchObject({
      kind: "ignored",
      why: "edit",
    });
    expect(
      parseTelegramUpdate(
        request({
          update_id: 12,
          message: { message_id: 1, chat: { id: 9 }, from: { id: 1, is_bot: true }, text: "x" },
        }),
      )[0],
    ).toMatchObject({ kind: "ignored", why: "bot" });
  });

  it("renders inline keyboards, photos, MarkdownV2 and the typing action (answering a click first)", () => {
    const target = {
      threadId: "9",
      externalUserId: "42",
      replyContext: { chat_id: "9", callback_query_id: "cb1" },
    };
    const calls = renderTelegram(
      [
        { type: "typing", nodeId: "n", durationMs: 5 },
        { type: "text", nodeId: "n", text: "**Total**: 1.50!", format: "markdown", source: "llm" },
        { type: "quick_replies", nodeId: "n", text: "Size?", replies: [{ label: "Small", value: "s" }] },
        { type: "image", nodeId: "n", url: "https://img.test/a.png", alt: "A" },
      ],
      target,
    );
    expect(calls.map((c) => c.url)).toEqual([
      "answerCallbackQuery",
      "sendChatAction",
      "sendMessage",
      "sendMessage",
      "sendPhoto",
    ]);
    expect(calls[2]?.body).toEqual({ chat_id: "9", text: "*Total*: 1\\.50\\!", parse_mode: "MarkdownV2" });
    expect(calls[3]?.body).toMatchObject({
      reply_markup: { inline_keyboard: [[{ text: "Small", callback_data: "s" }]] },
    });
    expect(calls[4]?.body).toEqual({ chat_id: "9", photo: "https://img.test/a.png", caption: "A" });
  });
});

describe("Telegram media links", async () => {
  const token = "777:media-token";
  const server = await startLocalPlatformServer((request) => {
    if (request.path === `/bot${token}/getFile`) {
      const { file_id } = JSON.parse(request.body) as { file_id: string };
      return file_id === "GONE"
        ? { status: 400, body: { ok: false, error_code: 400, description: "Bad Request: invalid file_id" } }
        : { status: 200, body: { ok: true, result: { file_id, file_path: "photos/file_9.png" } } };
    }
    if (request.path === `/file/bot${token}/photos/file_9.png`)
      return { status: 200, body: "PNG bytes", headers: { "content-type": "application/octet-stream" } };
    return { status: 404, body: { ok: false } };
  });
  afterAll(() => server.close());
  const http = createGuardedHttpClient({ allowLoopback: true }).fetch;
  const connection = {
    channelId: "0190a4b2-0000-7000-8000-000000000001",
    credentials: telegramCredentialsSchema.parse({ botToken: token }),
    settings: { apiUrl: server.url },
    webhookUrl: "https://bots.example.com/api/v1/channels/0190a4b2-0000-7000-8000-000000000001/webhook",
  };

  it("links a photo to the runtime's file route, signed, and downloads it with the token only on the server", async () => {
    const [event] = telegramAdapter.parse(
      request({
        update_id: 1,
        message: { message_id: 1, chat: { id: 9 }, from: { id: 42 }, photo: [{ file_id: "PIC" }] },
      }),
      connection,
    );
    const url = new URL((event as { attachments: { url: string }[] }).attachments[0]?.url ?? "");
    expect(`${url.origin}${url.pathname}`).toBe(
      "https://bots.example.com/api/v1/channels/0190a4b2-0000-7000-8000-000000000001/files/PIC",
    );
    expect(url.href).not.toContain(token);
    const sig = url.searchParams.get("sig") ?? "";
    const file = await telegramAdapter.fetchFile!("PIC", sig, connection, http);
    expect(file).toMatchObject({ ok: true, contentType: "image/png", name: "file_9.png" });
    if (file.ok) expect(await new Response(file.body).text()).toBe("PNG bytes");

    const before = server.received.length;
    expect(await telegramAdapter.fetchFile!("OTHER", sig, connection, http)).toMatchObject({
      ok: false,
      reason: "not_found",
    });
    expect(server.received.length).toBe(before);
    // Another channel's secret signs other links.
    const other = {
      ...connection,
      credentials: { ...connection.credentials, secretToken: "another-secret" },
    };
    expect((await telegramAdapter.fetchFile!("PIC", sig, other, http)).ok).toBe(false);
  });

  it("answers not_found for a file Telegram no longer knows", async () => {
    const [event] = telegramAdapter.parse(
      request({
        update_id: 2,
        message: { message_id: 2, chat: { id: 9 }, from: { id: 42 }, voice: { file_id: "GONE" } },
      }),
      connection,
    );
    const url = new URL((event as { attachments: { url: string }[] }).attachments[0]?.url ?? "");
    expect(
      await telegramAdapter.fetchFile!("GONE", url.searchParams.get("sig") ?? "", connection, http),
    ).toMatchObject({ ok: false, reason: "not_found" });
  });
});
