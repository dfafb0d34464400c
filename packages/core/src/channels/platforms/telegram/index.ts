import { randomBytes, timingSafeEqual } from "node:crypto";
import {
  telegramCredentialsSchema as contractTelegramCredentials,
  type TelegramSettings,
  telegramSettingsSchema,
} from "@parley/contract";
import type { z } from "zod";
import type {
  OutboundCall,
  PlatformAdapter,
  PlatformConnection,
  PlatformFile,
  PlatformHttp,
  SendResult,
} from "../../platform-adapter";
import { fileLinkValid, signedFileUrl } from "../shared/file-links";
import { parseTelegramUpdate } from "./telegram-events";
import { renderTelegram } from "./telegram-render";

/** The Bot API's default base URL. */
export const TELEGRAM_API_URL = "https://api.telegram.org/";

/** A fresh secret token for `X-Telegram-Bot-Api-Secret-Token` (Telegram allows 1-256 of A-Z a-z 0-9 _ -). */
export const newTelegramSecretToken = () => randomBytes(32).toString("base64url");

/** From @BotFather: the bot token; the webhook's secret token is generated when not given (contract's schema). */
export const telegramCredentialsSchema = contractTelegramCredentials.extend({
  secretToken: contractTelegramCredentials.shape.secretToken.unwrap().default(newTelegramSecretToken),
});
/** Telegram credentials. */
export type TelegramCredentials = z.infer<typeof telegramCredentialsSchema>;

export { type TelegramSettings, telegramSettingsSchema };

type TelegramConnection = PlatformConnection<TelegramCredentials, TelegramSettings>;

interface BotApiAnswer {
  ok: boolean;
  result?: unknown;
  description?: string;
  error_code?: number;
  parameters?: { retry_after?: number };
}

/** The Bot API base URL of a connection, with its trailing slash. */
const apiBaseOf = (connection: TelegramConnection) => {
  const base = connection.settings.apiUrl ?? TELEGRAM_API_URL;
  return base.endsWith("/") ? base : `${base}/`;
};

/** Content types by extension, for files Telegram's file server sends as octet-stream. */
const CONTENT_TYPES: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  oga: "audio/ogg",
  ogg: "audio/ogg",
  mp3: "audio/mpeg",
  m4a: "audio/mp4",
  mp4: "video/mp4",
  pdf: "application/pdf",
};

const noFile = (error: string): PlatformFile => ({ ok: false, reason: "not_found", error });

/**
 * Downloads file `fileId` (`getFile`, then `GET {apiUrl}file/bot<token>/<file_path>`): the URL
 * holding the token exists only here, inside the guarded client's call, never in a stored message.
 */
async function downloadFile(
  connection: TelegramConnection,
  http: PlatformHttp,
  fileId: string,
): Promise<PlatformFile> {
  const found = await callBotApi(connection, http, "getFile", { file_id: fileId });
  if (!found.ok) {
    return found.retryable
      ? { ok: false, reason: "unavailable", error: "Telegram did not answer getFile" }
      : noFile("Telegram knows no such file");
  }
  const path = (found.result as { file_path?: unknown } | undefined)?.file_path;
  // Telegram gives no download for files over 20 MB.
  if (typeof path !== "string" || path === "") return noFile("Telegram offers no download for this file");
  let response: Response;
  try {
    response = await http(`${apiBaseOf(connection)}file/bot${connection.credentials.botToken}/${path}`, {
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    // The error may quote the URL, which holds the token: say nothing more.
    return { ok: false, reason: "unavailable", error: "could not download the file from Telegram" };
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    return response.status === 404
      ? noFile("Telegram no longer has this file")
      : {
          ok: false,
          reason: "unavailable",
          error: `Telegram's file server answered HTTP ${response.status}`,
        };
  }
  const name = path.split("/").at(-1) ?? "file";
  const given = response.headers.get("content-type");
  const contentType =
    given && given !== "application/octet-stream"
      ? given
      : (CONTENT_TYPES[name.split(".").at(-1)?.toLowerCase() ?? ""] ?? "application/octet-stream");
  const length = Number(response.headers.get("content-length"));
  return {
    ok: true,
    body: response.body,
    contentType,
    name,
    ...(Number.isFinite(length) && length > 0 ? { contentLength: length } : {}),
  };
}

/** Calls Bot API method `method` with a JSON body; the answer as a send result. */
async function callBotApi(
  connection: TelegramConnection,
  http: PlatformHttp,
  method: string,
  body: unknown,
): Promise<SendResult & { result?: unknown }> {
  const url = `${apiBaseOf(connection)}bot${connection.credentials.botToken}/${method}`;
  let response: Response;
  try {
    response = await http(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    return {
      ok: false,
      retryable: true,
      error: `could not reach the Bot API: ${error instanceof Error ? error.message : error}`,
    };
  }
  const answer = (await response.json().catch(() => null)) as BotApiAnswer | null;
  if (response.ok && answer?.ok) return { ok: true, result: answer.result };
  const status = response.status;
  const description = answer?.description ?? `HTTP ${status}`;
  if (status === 429) {
    const header = Number(response.headers.get("retry-after"));
    const seconds = answer?.parameters?.retry_after ?? (Number.isFinite(header) ? header : 1);
    return {
      ok: false,
      retryable: true,
      retryAfterMs: seconds * 1000,
      error: `rate limited (429): ${description}`,
    };
  }
  if (status >= 500 || status === 408)
    return { ok: false, retryable: true, error: `Telegram answered ${status}: ${description}` };
  return { ok: false, retryable: false, error: `Telegram refused ${method}: ${description}` };
}

/**
 * Telegram: updates pushed to the webhook `setWebhook` registers, authenticated by
 * `X-Telegram-Bot-Api-Secret-Token`; replies through the Bot API with inline keyboards, photos,
 * MarkdownV2 and the typing action. Deduplicated by `update_id`. Media arrive as links to the
 * runtime's file route, which downloads them with the token on demand.
 */
export const telegramAdapter: PlatformAdapter<TelegramCredentials, TelegramSettings> = {
  type: "telegram",
  credentialsSchema: telegramCredentialsSchema as z.ZodType<TelegramCredentials>,
  settingsSchema: telegramSettingsSchema,
  handshake: () => null,
  async verify(request, connection) {
    const given = request.headers["x-telegram-bot-api-secret-token"];
    if (!given) return { ok: false, status: 401, reason: "missing X-Telegram-Bot-Api-Secret-Token" };
    const expected = Buffer.from(connection.credentials.secretToken);
    const actual = Buffer.from(given);
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      return { ok: false, status: 401, reason: "X-Telegram-Bot-Api-Secret-Token does not match" };
    }
    return { ok: true };
  },
  // Media link to the runtime's file route, signed with the channel's secret token (see file-links.ts).
  parse: (request, connection) =>
    parseTelegramUpdate(request, (fileId) =>
      signedFileUrl(connection, fileId, connection.credentials.secretToken),
    ),
  async fetchFile(ref, signature, connection, http) {
    if (!fileLinkValid(connection.credentials.secretToken, connection.channelId, ref, signature))
      return noFile("no such file");
    return downloadFile(connection, http, ref);
  },
  render: (messages, target) => renderTelegram(messages, target),
  async send(call: OutboundCall, connection, http) {
    const result = await callBotApi(connection, http, call.url, call.body);
    if (!result.ok) return result;
    const id = (result.result as { message_id?: number } | undefined)?.message_id;
    return { ok: true, ...(id !== undefined ? { platformMessageId: String(id) } : {}) };
  },
  async connect(webhookUrl, connection, http) {
    const result = await callBotApi(connection, http, "setWebhook", {
      url: webhookUrl,
      secret_token: connection.credentials.secretToken,
      allowed_updates: ["message", "callback_query"],
    });
    if (!result.ok) return { ok: false, error: `setWebhook failed: ${result.error}` };
    const me = await callBotApi(connection, http, "getMe", {});
    const username = me.ok ? (me.result as { username?: string } | undefined)?.username : undefined;
    return { ok: true, settings: username ? { botUsername: username } : {} };
  },
};
