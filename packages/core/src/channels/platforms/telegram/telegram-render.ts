import type { OutgoingMessage, ReplyOption } from "@parley/contract";
import telegramifyMarkdown from "telegramify-markdown";
import type { OutboundCall, ReplyTarget } from "../../platform-adapter";

/** Telegram's limit on a button's callback data, in bytes. */
const CALLBACK_DATA_MAX_BYTES = 64;

type Button = { text: string; callback_data?: string; url?: string };

/**
 * A button's callback data: the option's value, or (when the value is longer than Telegram's
 * 64 bytes) its label, which flows accept as the same choice when labels are unique.
 */
function callbackData(option: { label: string; value?: string }): string {
  const value = option.value ?? option.label;
  if (Buffer.byteLength(value) <= CALLBACK_DATA_MAX_BYTES) return value;
  return Buffer.from(option.label)
    .subarray(0, CALLBACK_DATA_MAX_BYTES)
    .toString("utf8")
    .replace(/\uFFFD+$/, "");
}

const keyboard = (options: readonly { label: string; value?: string; url?: string }[]) => ({
  inline_keyboard: options.map((option): Button[] => [
    option.url
      ? { text: option.label, url: option.url }
      : { text: option.label, callback_data: callbackData(option) },
  ]),
});

/** Text in Telegram's MarkdownV2 (telegramify-markdown) or as plain text. */
function textBody(text: string, format: "plain" | "markdown" = "plain") {
  return format === "markdown"
    ? { text: telegramifyMarkdown(text, "escape").replace(/\n+$/, ""), parse_mode: "MarkdownV2" }
    : { text };
}

function choices(chatId: string, text: string, replies: readonly ReplyOption[]): OutboundCall {
  return {
    kind: "buttons",
    method: "POST",
    url: "sendMessage",
    body: { chat_id: chatId, text: text || "Choose:", reply_markup: keyboard(replies) },
  };
}

/** Bot API calls (method names, sent under the connection's token) for a turn's messages. */
export function renderTelegram(messages: readonly OutgoingMessage[], target: ReplyTarget): OutboundCall[] {
  const chatId = target.replyContext.chat_id ?? target.threadId;
  const calls: OutboundCall[] = [];
  const send = (kind: string, url: string, body: Record<string, unknown>) =>
    calls.push({ kind, method: "POST", url, body: { chat_id: chatId, ...body } });
  for (const message of messages) {
    switch (message.type) {
      case "text":
        send("text", "sendMessage", textBody(message.text, message.format));
        break;
      case "image":
        send("image", "sendPhoto", { photo: message.url, ...(message.alt ? { caption: message.alt } : {}) });
        break;
      case "card": {
        const caption = [message.title, message.subtitle].filter(Boolean).join("\n");
        const markup = message.buttons.length > 0 ? { reply_markup: keyboard(message.buttons) } : {};
        if (message.imageUrl) send("card", "sendPhoto", { photo: message.imageUrl, caption, ...markup });
        else send("card", "sendMessage", { text: caption, ...markup });
        break;
      }
      case "quick_replies":
        calls.push(choices(chatId, message.text ?? "", message.replies));
        break;
      case "ask":
        if (message.input.choices?.length) calls.push(choices(chatId, message.text, message.input.choices));
        else send("text", "sendMessage", textBody(message.text));
        break;
      case "typing":
        // A clicked inline button spins until answered: answer it first.
        if (target.replyContext.callback_query_id) {
          calls.push({
            kind: "callback-answer",
            method: "POST",
            url: "answerCallbackQuery",
            body: { callback_query_id: target.replyContext.callback_query_id },
          });
        }
        send("typing", "sendChatAction", { action: "typing" });
        break;
      case "handoff":
      case "end":
        if (message.text) send("text", "sendMessage", textBody(message.text));
        break;
    }
  }
  return calls;
}
