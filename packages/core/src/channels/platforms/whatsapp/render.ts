import type { OutgoingMessage, ReplyOption, WhatsAppSettings } from "@parley/contract";
import type { OutboundCall, ReplyTarget } from "../../platform-adapter";
import { markdownToWhatsApp } from "../shared/markdown-dialects";
import { WHATSAPP_REPLY_CONTEXT } from "./parse";

/** WhatsApp's customer-service window: free-form messages only within 24 h of the contact's last message. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * The body of a WhatsApp {@link OutboundCall}: the Cloud API payload, and when the customer-service
 * window closes for it (absent for template sends, which are allowed at any time). The window is
 * checked when the call is sent, not when it is rendered, since a retried call may cross the limit.
 */
export interface WhatsAppCallBody {
  payload: Record<string, unknown>;
  windowClosesAtMs?: number;
}

/** Cloud API limits (the "Interactive messages" reference). */
const LIMITS = {
  body: 4096,
  interactiveBody: 1024,
  buttons: 3,
  buttonTitle: 20,
  rows: 10,
  rowTitle: 24,
  rowDescription: 72,
};

/**
 * A turn's messages as Cloud API calls: text (markdown in WhatsApp's dialect), quick replies and
 * choices as reply buttons (up to 3) or a list (up to 10) else numbered text, images natively, cards
 * as reply buttons under an image header (or an image and text), handoff/end texts as text. Typing
 * has no free-standing Cloud API call and is left out.
 */
export function renderWhatsApp(
  messages: OutgoingMessage[],
  target: ReplyTarget,
  settings: WhatsAppSettings,
): OutboundCall[] {
  const to = target.replyContext[WHATSAPP_REPLY_CONTEXT.to] ?? target.externalUserId;
  const lastInbound = Number(target.replyContext[WHATSAPP_REPLY_CONTEXT.lastInboundAtMs]);
  // Unknown when the conversation has no inbound WhatsApp message (a test message): Meta decides then.
  const window =
    target.replyContext[WHATSAPP_REPLY_CONTEXT.lastInboundAtMs] !== undefined && Number.isFinite(lastInbound)
      ? { windowClosesAtMs: lastInbound + WHATSAPP_WINDOW_MS }
      : {};
  const url = `${encodeURIComponent(settings.phoneNumberId)}/messages`;
  const call = (kind: string, message: Record<string, unknown>): OutboundCall => ({
    kind,
    method: "POST",
    url,
    body: {
      payload: { messaging_product: "whatsapp", recipient_type: "individual", to, ...message },
      ...window,
    } satisfies WhatsAppCallBody,
  });
  const texts = (text: string): OutboundCall[] =>
    chunks(text, LIMITS.body).map((body) =>
      call("text", { type: "text", text: { body, preview_url: false } }),
    );

  const calls: OutboundCall[] = [];
  for (const message of messages) {
    switch (message.type) {
      case "text":
        calls.push(...texts(message.format === "markdown" ? markdownToWhatsApp(message.text) : message.text));
        break;
      case "image":
        calls.push(
          call("image", {
            type: "image",
            image: { link: message.url, ...(message.alt ? { caption: message.alt } : {}) },
          }),
        );
        break;
      case "quick_replies":
        calls.push(...choices(message.text ?? "Choose one:", message.replies, call, texts));
        break;
      case "ask":
        if (message.input.choices && message.input.choices.length > 0) {
          calls.push(...choices(message.text, message.input.choices, call, texts));
        } else calls.push(...texts(message.text));
        break;
      case "card": {
        const body = [`*${message.title}*`, message.subtitle].filter(Boolean).join("\n");
        const replies = message.buttons.flatMap((button) =>
          button.value !== undefined ? [{ label: button.label, value: button.value }] : [],
        );
        const links = message.buttons.flatMap((button) =>
          button.url ? [`${button.label}: ${button.url}`] : [],
        );
        const text = [body, ...links].join("\n");
        if (
          replies.length > 0 &&
          replies.length <= LIMITS.buttons &&
          replies.every((reply) => reply.label.length <= LIMITS.buttonTitle)
        ) {
          calls.push(
            call("card", {
              type: "interactive",
              interactive: {
                type: "button",
                ...(message.imageUrl ? { header: { type: "image", image: { link: message.imageUrl } } } : {}),
                body: { text: text.slice(0, LIMITS.interactiveBody) },
                action: {
                  buttons: replies.map((reply) => ({
                    type: "reply",
                    reply: { id: reply.value.slice(0, 256), title: reply.label },
                  })),
                },
              },
            }),
          );
        } else {
          if (message.imageUrl)
            calls.push(call("image", { type: "image", image: { link: message.imageUrl } }));
          calls.push(...(replies.length > 0 ? choices(text, replies, call, texts) : texts(text)));
        }
        break;
      }
      case "handoff":
      case "end":
        if (message.text) calls.push(...texts(message.text));
        break;
      case "typing":
        break;
    }
  }
  return calls;
}

/** Options as reply buttons (≤ 3 short labels), a list (≤ 10), or numbered text (the reply's number or label selects). */
function choices(
  text: string,
  options: ReplyOption[],
  call: (kind: string, message: Record<string, unknown>) => OutboundCall,
  texts: (text: string) => OutboundCall[],
): OutboundCall[] {
  const body = text.slice(0, LIMITS.interactiveBody) || "Choose one:";
  if (
    options.length <= LIMITS.buttons &&
    options.every((option) => option.label.length <= LIMITS.buttonTitle)
  ) {
    return [
      call("buttons", {
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: body },
          action: {
            buttons: options.map((option) => ({
              type: "reply",
              reply: { id: option.value.slice(0, 256), title: option.label },
            })),
          },
        },
      }),
    ];
  }
  if (
    options.length <= LIMITS.rows &&
    options.every((option) => option.label.length <= LIMITS.rowDescription)
  ) {
    return [
      call("list", {
        type: "interactive",
        interactive: {
          type: "list",
          body: { text: body },
          action: {
            button: "Choose",
            sections: [
              {
                rows: options.map((option) => ({
                  id: option.value.slice(0, 200),
                  title: truncate(option.label, LIMITS.rowTitle),
                  // A label too long for a row title is shown whole underneath.
                  ...(option.label.length > LIMITS.rowTitle ? { description: option.label } : {}),
                })),
              },
            ],
          },
        },
      }),
    ];
  }
  return texts([text, ...options.map((option, index) => `${index + 1}. ${option.label}`)].join("\n"));
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Splits text into pieces of at most `max` characters, preferring line then word boundaries. */
export function chunks(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf("\n", max);
    if (cut < max / 2) cut = rest.lastIndexOf(" ", max);
    if (cut < max / 2) cut = max;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\s+/, "");
  }
  if (rest !== "" || pieces.length === 0) pieces.push(rest);
  return pieces;
}
