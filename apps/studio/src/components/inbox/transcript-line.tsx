"use client";

import type { TranscriptEntry } from "@parley/contract";

/** The text a transcript entry shows in the chat pane. */
function textOf(entry: TranscriptEntry): string {
  const message = entry.message as {
    type: string;
    text?: string;
    values?: string[];
    title?: string;
    url?: string;
  };
  switch (message.type) {
    case "user_choice":
      return (message.values ?? []).join(", ");
    case "card":
      return message.title ?? "";
    case "image":
      return `[image] ${message.url ?? ""}`;
    case "handoff":
      return `⇢ handed off${message.text ? `: ${message.text}` : ""}`;
    case "end":
      return "■ conversation ended";
    default:
      return message.text ?? "";
  }
}

/** One line of the live chat: who wrote it and what. */
export function TranscriptLine({ entry }: { entry: TranscriptEntry }) {
  const message = entry.message as { type: string; replies?: { label: string }[]; attachmentUrl?: string };
  if (message.type === "typing") return null;
  const who =
    entry.author === "user"
      ? "Visitor"
      : entry.author === "agent"
        ? "Agent"
        : entry.author === "bot"
          ? "Bot"
          : "System";
  return (
    <li
      data-testid={`chat-${entry.author}`}
      data-seq={entry.seq}
      className={`chat-line chat-${entry.author}`}
    >
      <strong>{who}:</strong> <span>{textOf(entry)}</span>
      {message.replies && message.replies.length > 0 && (
        <span className="muted"> [{message.replies.map((reply) => reply.label).join(" | ")}]</span>
      )}
      {message.attachmentUrl && (
        <a href={message.attachmentUrl} target="_blank" rel="noreferrer noopener">
          {" "}
          attachment
        </a>
      )}
    </li>
  );
}
