import type { MessengerSettings } from "@parley/contract";
import type { InboundAttachment, InboundEvent, InboundRequest } from "../../platform-adapter";

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value !== null && typeof value === "object" ? (value as Json) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string | undefined =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;

const ATTACHMENT_TYPES: Record<string, InboundAttachment["type"]> = {
  image: "image",
  audio: "audio",
  video: "video",
  file: "file",
  location: "location",
};

/**
 * The events of a Messenger webhook (`object: page`, `entry[].messaging[]`): messages (text, quick
 * reply payloads, attachments), postbacks (button clicks), delivery and read receipts as `status`,
 * echoes of the page's own messages and edits as `ignored`. A read receipt names no message: it
 * carries a watermark (everything sent before it was read), reported as `watermark:<ms>`.
 */
export function parseMessenger(request: InboundRequest, settings: MessengerSettings): InboundEvent[] {
  let body: Json;
  try {
    body = obj(JSON.parse(request.rawBody.toString("utf8")));
  } catch {
    return [];
  }
  const events: InboundEvent[] = [];
  for (const entry of arr(body.entry)) {
    for (const raw of arr(obj(entry).messaging)) {
      const event = obj(raw);
      const psid = str(obj(event.sender).id) ?? "";
      const at = Number(event.timestamp) || Date.now();
      const base = {
        kind: "message" as const,
        externalUserId: psid,
        threadId: psid,
        replyContext: { psid, pageId: str(obj(event.recipient).id) ?? settings.pageId },
        occurredAtMs: at,
      };
      if (event.message !== undefined) {
        const message = obj(event.message);
        const mid = str(message.mid) ?? `message:${psid}:${at}`;
        if (message.is_echo === true) {
          events.push({ kind: "ignored", eventId: mid, why: "echo" });
          continue;
        }
        const quickReply = str(obj(message.quick_reply).payload);
        const attachments = arr(message.attachments).flatMap((item): InboundAttachment[] => {
          const attachment = obj(item);
          const type = ATTACHMENT_TYPES[str(attachment.type) ?? ""];
          if (!type) return [];
          const payload = obj(attachment.payload);
          if (type === "location") {
            const coordinates = obj(payload.coordinates);
            return [{ type, latitude: Number(coordinates.lat), longitude: Number(coordinates.long) }];
          }
          const url = str(payload.url);
          return [
            {
              type,
              ...(url ? { url } : {}),
              ...(str(attachment.title) ? { name: str(attachment.title) } : {}),
            },
          ];
        });
        const text = str(message.text);
        if (text === undefined && attachments.length === 0) {
          events.push({ kind: "ignored", eventId: mid, why: "unsupported" });
          continue;
        }
        events.push({
          ...base,
          eventId: mid,
          ...(text !== undefined ? { text } : {}),
          ...(quickReply !== undefined ? { buttonValue: quickReply } : {}),
          ...(attachments.length > 0 ? { attachments } : {}),
        });
      } else if (event.postback !== undefined) {
        const postback = obj(event.postback);
        const payload = str(postback.payload) ?? "";
        events.push({
          ...base,
          eventId: str(postback.mid) ?? `postback:${psid}:${at}`,
          text: str(postback.title) ?? payload,
          buttonValue: payload,
        });
      } else if (event.delivery !== undefined) {
        const delivery = obj(event.delivery);
        for (const mid of arr(delivery.mids)) {
          const id = str(mid);
          if (id)
            events.push({
              kind: "status",
              eventId: `${id}:delivered`,
              platformMessageId: id,
              status: "delivered",
            });
        }
      } else if (event.read !== undefined) {
        const watermark = str(obj(event.read).watermark) ?? String(at);
        events.push({
          kind: "status",
          eventId: `read:${psid}:${watermark}`,
          platformMessageId: `watermark:${watermark}`,
          status: "read",
        });
      } else if (event.message_edit !== undefined) {
        events.push({
          kind: "ignored",
          eventId: `edit:${str(obj(event.message_edit).mid) ?? at}`,
          why: "edit",
        });
      } else {
        events.push({ kind: "ignored", eventId: `other:${psid}:${at}`, why: "unsupported" });
      }
    }
  }
  return events;
}
