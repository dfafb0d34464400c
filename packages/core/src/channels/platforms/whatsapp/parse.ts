import type { WhatsAppSettings } from "@parley/contract";
import type { InboundAttachment, InboundEvent, InboundRequest } from "../../platform-adapter";

/** Reply-context keys a WhatsApp inbound message leaves for the replies (see {@link parseWhatsApp}). */
export const WHATSAPP_REPLY_CONTEXT = {
  /** The contact's WhatsApp id (phone number) replies go to. */
  to: "to",
  /** When the contact last wrote (ms since epoch, as text): the 24-hour window starts there. */
  lastInboundAtMs: "lastInboundAtMs",
} as const;

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value !== null && typeof value === "object" ? (value as Json) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string | undefined =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;

/**
 * The events of a WhatsApp Cloud API webhook (`object: whatsapp_business_account`, `changes[].value`
 * with `messages`, `statuses` and `contacts`): text, interactive button/list replies, template quick
 * reply buttons, media (as Graph media URLs: `GET {apiUrl}{mediaId}` with the access token answers
 * the download URL) and locations; statuses as `status` events; other phone numbers' events and
 * unsupported kinds (reactions, system messages) as `ignored`.
 */
export function parseWhatsApp(request: InboundRequest, settings: WhatsAppSettings): InboundEvent[] {
  let body: Json;
  try {
    body = obj(JSON.parse(request.rawBody.toString("utf8")));
  } catch {
    return [];
  }
  const events: InboundEvent[] = [];
  for (const entry of arr(body.entry)) {
    for (const change of arr(obj(entry).changes)) {
      const value = obj(obj(change).value);
      const phoneNumberId = str(obj(value.metadata).phone_number_id);
      const ours = phoneNumberId === undefined || phoneNumberId === settings.phoneNumberId;
      const names = new Map<string, string>();
      for (const contact of arr(value.contacts)) {
        const waId = str(obj(contact).wa_id);
        const name = str(obj(obj(contact).profile).name);
        if (waId && name) names.set(waId, name);
      }
      for (const raw of arr(value.messages)) {
        const message = obj(raw);
        const id = str(message.id) ?? "";
        if (!ours) {
          events.push({ kind: "ignored", eventId: id, why: "unsupported" });
          continue;
        }
        events.push(messageEvent(message, names, settings));
      }
      for (const raw of arr(value.statuses)) {
        const status = obj(raw);
        const id = str(status.id) ?? "";
        const state = str(status.status);
        if (!ours || (state !== "sent" && state !== "delivered" && state !== "read" && state !== "failed")) {
          events.push({ kind: "ignored", eventId: `${id}:${state ?? "?"}`, why: "unsupported" });
          continue;
        }
        const error = arr(status.errors).map(obj)[0];
        const detail = error
          ? `(#${str(error.code) ?? "?"}) ${str(error.title) ?? str(error.message) ?? "delivery failed"}${
              str(obj(error.error_data).details) ? `: ${str(obj(error.error_data).details)}` : ""
            }`
          : undefined;
        events.push({
          kind: "status",
          eventId: `${id}:${state}`,
          platformMessageId: id,
          status: state,
          ...(detail ? { error: detail } : {}),
        });
      }
    }
  }
  return events;
}

function messageEvent(message: Json, names: Map<string, string>, settings: WhatsAppSettings): InboundEvent {
  const id = str(message.id) ?? "";
  const from = str(message.from) ?? "";
  const occurredAtMs = Number(str(message.timestamp) ?? Number.NaN) * 1000;
  const at = Number.isFinite(occurredAtMs) ? occurredAtMs : Date.now();
  const base = {
    kind: "message" as const,
    eventId: id,
    externalUserId: from,
    ...(names.has(from) ? { displayName: names.get(from) } : {}),
    // WhatsApp's sender id is the number Meta delivered from (digits of E.164).
    ...(/^\d{6,15}$/.test(from) ? { verified: { phone: `+${from}` } } : {}),
    threadId: from,
    replyContext: {
      [WHATSAPP_REPLY_CONTEXT.to]: from,
      [WHATSAPP_REPLY_CONTEXT.lastInboundAtMs]: String(at),
    },
    occurredAtMs: at,
  };
  const type = str(message.type);
  const media = (kind: InboundAttachment["type"], part: Json): InboundEvent => {
    const mediaId = str(part.id);
    const url =
      str(part.url) ??
      (mediaId ? new URL(encodeURIComponent(mediaId), settings.apiUrl).toString() : undefined);
    const caption = str(part.caption);
    const attachment: InboundAttachment = {
      type: kind,
      ...(url ? { url } : {}),
      ...(str(part.filename) ? { name: str(part.filename) } : {}),
      ...(str(part.mime_type) ? { mimeType: str(part.mime_type) } : {}),
    };
    return { ...base, ...(caption ? { text: caption } : {}), attachments: [attachment] };
  };
  switch (type) {
    case "text":
      return { ...base, text: str(obj(message.text).body) ?? "" };
    case "interactive": {
      const interactive = obj(message.interactive);
      const reply = obj(interactive.button_reply ?? interactive.list_reply);
      const value = str(reply.id);
      if (value === undefined) return { kind: "ignored", eventId: id, why: "unsupported" };
      return { ...base, text: str(reply.title) ?? value, buttonValue: value };
    }
    case "button": {
      // A template's quick-reply button: `payload` is what the template defined, `text` its label.
      const button = obj(message.button);
      const value = str(button.payload) ?? str(button.text) ?? "";
      return { ...base, text: str(button.text) ?? value, buttonValue: value };
    }
    case "image":
      return media("image", obj(message.image));
    case "sticker":
      return media("image", obj(message.sticker));
    case "document":
      return media("file", obj(message.document));
    case "audio":
      return media("audio", obj(message.audio));
    case "video":
      return media("video", obj(message.video));
    case "location": {
      const location = obj(message.location);
      const label = [str(location.name), str(location.address)].filter(Boolean).join(", ");
      return {
        ...base,
        ...(label ? { text: label } : {}),
        attachments: [
          {
            type: "location",
            latitude: Number(location.latitude),
            longitude: Number(location.longitude),
            ...(label ? { name: label } : {}),
          },
        ],
      };
    }
    default:
      return { kind: "ignored", eventId: id, why: "unsupported" };
  }
}
