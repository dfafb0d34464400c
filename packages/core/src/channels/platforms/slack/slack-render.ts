import type { OutgoingMessage, ReplyOption } from "@parley/contract";
import type { OutboundCall, ReplyTarget } from "../../platform-adapter";
import { slackText } from "./slack-text";

type Block = Record<string, unknown>;

/** Slack's limits: button labels 75 characters, values 2,000, 25 elements per actions block. */
const LABEL_MAX = 75;
const VALUE_MAX = 2_000;
const BUTTONS_MAX = 25;

const plain = (text: string) => ({ type: "plain_text", text: text.slice(0, LABEL_MAX) || " ", emoji: true });
const section = (text: string): Block => ({
  type: "section",
  text: { type: "mrkdwn", text: text.slice(0, 3_000) },
});

function buttons(options: readonly { label: string; value?: string; url?: string }[]): Block {
  return {
    type: "actions",
    elements: options.slice(0, BUTTONS_MAX).map((option, index) => ({
      type: "button",
      action_id: `parley_${index}`,
      text: plain(option.label),
      ...(option.url ? { url: option.url } : {}),
      ...(option.value !== undefined ? { value: option.value.slice(0, VALUE_MAX) } : {}),
    })),
  };
}

/** Blocks and fallback text of one message; null when Slack shows nothing for it. */
function blocksOf(message: OutgoingMessage): { text: string; blocks?: Block[] } | null {
  switch (message.type) {
    case "text":
      return { text: slackText(message.text, message.format) };
    case "image":
      return {
        text: message.alt ?? message.url,
        blocks: [
          { type: "image", image_url: message.url, alt_text: (message.alt ?? "image").slice(0, 2_000) },
        ],
      };
    case "card": {
      const text = [`*${slackText(message.title)}*`, message.subtitle ? slackText(message.subtitle) : ""]
        .filter(Boolean)
        .join("\n");
      const head: Block = {
        ...section(text),
        ...(message.imageUrl
          ? { accessory: { type: "image", image_url: message.imageUrl, alt_text: message.title } }
          : {}),
      };
      return {
        text: message.title,
        blocks: message.buttons.length > 0 ? [head, buttons(message.buttons)] : [head],
      };
    }
    case "quick_replies":
      return choiceBlocks(message.text ?? "", message.replies);
    case "ask":
      return message.input.choices?.length
        ? choiceBlocks(message.text, message.input.choices)
        : { text: slackText(message.text) };
    case "handoff":
    case "end":
      return message.text ? { text: slackText(message.text) } : null;
    default:
      return null;
  }
}

function choiceBlocks(text: string, replies: readonly ReplyOption[]) {
  const shown = slackText(text);
  return {
    text: shown || replies.map((reply) => reply.label).join(" / "),
    blocks: [...(shown ? [section(shown)] : []), buttons(replies)],
  };
}

/** `chat.postMessage` calls for a turn's messages, in the reply target's channel and thread. */
export function renderSlack(messages: readonly OutgoingMessage[], target: ReplyTarget): OutboundCall[] {
  const channel = target.replyContext.channel ?? target.threadId.split(":")[0] ?? target.threadId;
  const threadTs = target.replyContext.thread_ts ?? target.threadId.split(":")[1];
  const calls: OutboundCall[] = [];
  for (const message of messages) {
    const content = blocksOf(message);
    if (!content) continue;
    calls.push({
      kind: content.blocks ? (message.type === "image" ? "image" : "blocks") : "text",
      method: "POST",
      url: "chat.postMessage",
      body: {
        channel,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        text: content.text,
        ...(content.blocks ? { blocks: content.blocks } : {}),
      },
    });
  }
  return calls;
}
