import type { InboundAttachment, InboundEvent, InboundRequest } from "../../platform-adapter";

interface TelegramUser {
  id: number;
  is_bot?: boolean;
  first_name?: string;
  last_name?: string;
  username?: string;
}
interface TelegramMessage {
  message_id: number;
  date?: number;
  chat: { id: number };
  from?: TelegramUser;
  text?: string;
  caption?: string;
  photo?: { file_id: string; width?: number }[];
  document?: { file_id: string; file_name?: string; mime_type?: string };
  audio?: { file_id: string; file_name?: string; mime_type?: string };
  voice?: { file_id: string; mime_type?: string };
  video?: { file_id: string; mime_type?: string };
  location?: { latitude: number; longitude: number };
  reply_markup?: { inline_keyboard?: { text: string; callback_data?: string }[][] };
}
interface TelegramUpdate {
  update_id: number;
  message?: TelegramMessage;
  edited_message?: TelegramMessage;
  callback_query?: { id: string; from: TelegramUser; message?: TelegramMessage; data?: string };
}

const nameOf = (user: TelegramUser) =>
  [user.first_name, user.last_name].filter(Boolean).join(" ") || user.username || undefined;

/**
 * The link an attachment carries for file `fileId`. Telegram's own download URL
 * (`/file/bot<token>/<path>`) holds the bot token, so the adapter links to the runtime's file route.
 */
export type TelegramFileLink = (fileId: string) => string;

function attachmentsOf(message: TelegramMessage, fileRef: TelegramFileLink): InboundAttachment[] {
  const attachments: InboundAttachment[] = [];
  const photo = message.photo?.at(-1); // the largest size comes last
  if (photo) attachments.push({ type: "image", url: fileRef(photo.file_id) });
  if (message.document) {
    attachments.push({
      type: "file",
      url: fileRef(message.document.file_id),
      ...(message.document.file_name ? { name: message.document.file_name } : {}),
      ...(message.document.mime_type ? { mimeType: message.document.mime_type } : {}),
    });
  }
  const audio = message.audio ?? message.voice;
  if (audio)
    attachments.push({
      type: "audio",
      url: fileRef(audio.file_id),
      ...(message.audio?.file_name ? { name: message.audio.file_name } : {}),
      ...(audio.mime_type ? { mimeType: audio.mime_type } : {}),
    });
  if (message.video) attachments.push({ type: "video", url: fileRef(message.video.file_id) });
  if (message.location) {
    attachments.push({
      type: "location",
      latitude: message.location.latitude,
      longitude: message.location.longitude,
    });
  }
  return attachments;
}

/**
 * Normalises a verified Telegram update: messages (text; photo, document, audio, voice, video as
 * attachments linked through `fileRef`; location) and inline keyboard clicks.
 */
export function parseTelegramUpdate(request: InboundRequest, fileRef: TelegramFileLink): InboundEvent[] {
  const update = JSON.parse(request.rawBody.toString("utf8")) as TelegramUpdate;
  if (typeof update.update_id !== "number") throw new Error("an update has a numeric `update_id`");
  const eventId = String(update.update_id);
  if (update.edited_message) return [{ kind: "ignored", eventId, why: "edit" }];
  const query = update.callback_query;
  if (query) {
    const chat = query.message?.chat.id;
    if (chat === undefined || query.data === undefined)
      return [{ kind: "ignored", eventId, why: "unsupported" }];
    const label = query.message?.reply_markup?.inline_keyboard
      ?.flat()
      .find((button) => button.callback_data === query.data)?.text;
    const name = nameOf(query.from);
    return [
      {
        kind: "message",
        eventId,
        externalUserId: String(query.from.id),
        ...(name ? { displayName: name } : {}),
        threadId: String(chat),
        ...(label ? { text: label } : {}),
        buttonValue: query.data,
        replyContext: { chat_id: String(chat), callback_query_id: query.id },
        occurredAtMs: Date.now(),
      },
    ];
  }
  const message = update.message;
  if (!message) return [{ kind: "ignored", eventId, why: "unsupported" }];
  if (!message.from || message.from.is_bot) return [{ kind: "ignored", eventId, why: "bot" }];
  const text = message.text ?? message.caption;
  const attachments = attachmentsOf(message, fileRef);
  if (!text && attachments.length === 0) return [{ kind: "ignored", eventId, why: "unsupported" }];
  const name = nameOf(message.from);
  return [
    {
      kind: "message",
      eventId,
      externalUserId: String(message.from.id),
      ...(name ? { displayName: name } : {}),
      threadId: String(message.chat.id),
      ...(text ? { text } : {}),
      ...(attachments.length > 0 ? { attachments } : {}),
      replyContext: { chat_id: String(message.chat.id) },
      occurredAtMs: (message.date ?? Date.now() / 1000) * 1000,
    },
  ];
}
