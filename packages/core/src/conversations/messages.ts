import type { OutgoingMessage } from "@parley/contract";

/** What a person's message stores: the transcript payload and its plain text (internal). */
export type InboundEntry =
  | {
      author: "user";
      payload: { type: "user_text"; text: string } | { type: "user_choice"; values: string[] };
      text: string;
    }
  | {
      author: "agent";
      payload: {
        type: "agent_text";
        text: string;
        replies?: { label: string; value: string }[];
        attachmentUrl?: string;
      };
      text: string;
    };

/** The plain text of a bot message, for transcripts, search and LLM history (internal). */
export function textOf(message: OutgoingMessage): string | null {
  switch (message.type) {
    case "text":
    case "ask":
      return message.text;
    case "quick_replies":
    case "handoff":
    case "end":
      return message.text ?? null;
    case "card":
      return message.title;
    case "image":
      return message.alt ?? null;
    default:
      return null;
  }
}
