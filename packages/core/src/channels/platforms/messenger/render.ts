import type { OutgoingMessage, ReplyOption } from "@parley/contract";
import type { OutboundCall, ReplyTarget } from "../../platform-adapter";
import { markdownToPlainText } from "../shared/markdown-dialects";
import { chunks } from "../whatsapp/render";

/** Send API limits (Messenger Platform reference: quick replies, generic template, text). */
const LIMITS = {
  text: 2000,
  quickReplies: 13,
  quickReplyTitle: 20,
  elementTitle: 80,
  elementSubtitle: 80,
  buttons: 3,
  buttonTitle: 20,
};

/**
 * A turn's messages as Send API calls (`POST me/messages`): text as plain text (Messenger has no
 * markdown), quick replies (up to 13, else numbered text), cards as a generic template, images as
 * image attachments, typing as `typing_on`.
 */
export function renderMessenger(messages: OutgoingMessage[], target: ReplyTarget): OutboundCall[] {
  const recipient = { id: target.replyContext.psid ?? target.externalUserId };
  const call = (kind: string, body: Record<string, unknown>): OutboundCall => ({
    kind,
    method: "POST",
    url: "me/messages",
    body: { recipient, ...body },
  });
  const send = (kind: string, message: Record<string, unknown>) =>
    call(kind, { messaging_type: "RESPONSE", message });
  const texts = (text: string) => chunks(text, LIMITS.text).map((piece) => send("text", { text: piece }));
  const choices = (text: string, options: ReplyOption[]): OutboundCall[] =>
    options.length <= LIMITS.quickReplies
      ? [
          send("quick_replies", {
            text: text.slice(0, LIMITS.text),
            quick_replies: options.map((option) => ({
              content_type: "text",
              title: truncate(option.label, LIMITS.quickReplyTitle),
              payload: option.value.slice(0, 1000),
            })),
          }),
        ]
      : texts([text, ...options.map((option, index) => `${index + 1}. ${option.label}`)].join("\n"));

  const calls: OutboundCall[] = [];
  for (const message of messages) {
    switch (message.type) {
      case "text":
        calls.push(
          ...texts(message.format === "markdown" ? markdownToPlainText(message.text) : message.text),
        );
        break;
      case "image":
        calls.push(
          send("image", { attachment: { type: "image", payload: { url: message.url, is_reusable: true } } }),
        );
        break;
      case "quick_replies":
        calls.push(...choices(message.text ?? "Choose one:", message.replies));
        break;
      case "ask":
        calls.push(
          ...(message.input.choices?.length
            ? choices(message.text, message.input.choices)
            : texts(message.text)),
        );
        break;
      case "card":
        calls.push(
          send("card", {
            attachment: {
              type: "template",
              payload: {
                template_type: "generic",
                elements: [
                  {
                    title: truncate(message.title, LIMITS.elementTitle),
                    ...(message.subtitle
                      ? { subtitle: truncate(message.subtitle, LIMITS.elementSubtitle) }
                      : {}),
                    ...(message.imageUrl ? { image_url: message.imageUrl } : {}),
                    ...(message.buttons.length > 0
                      ? {
                          buttons: message.buttons.slice(0, LIMITS.buttons).map((button) =>
                            button.url
                              ? {
                                  type: "web_url",
                                  url: button.url,
                                  title: truncate(button.label, LIMITS.buttonTitle),
                                }
                              : {
                                  type: "postback",
                                  title: truncate(button.label, LIMITS.buttonTitle),
                                  payload: button.value ?? button.label,
                                },
                          ),
                        }
                      : {}),
                  },
                ],
              },
            },
          }),
        );
        break;
      case "typing":
        calls.push(call("typing", { sender_action: "typing_on" }));
        break;
      case "handoff":
      case "end":
        if (message.text) calls.push(...texts(message.text));
        break;
    }
  }
  return calls;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
