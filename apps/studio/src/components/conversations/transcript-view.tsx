"use client";

import type { TranscriptEntry, TranscriptResponse } from "@parley/contract";
import { Badge, Flex } from "@radix-ui/themes";
import type { ReactNode } from "react";

type Message = TranscriptEntry["message"];

/** One transcript entry drawn as the chat shows it; system events as a centred line. */
function Entry({ entry }: { entry: TranscriptEntry }) {
  const message = entry.message as Message & Record<string, unknown>;
  const from = entry.author === "user" ? "from-user" : entry.author === "agent" ? "from-agent" : "from-bot";
  const bubble = (content: ReactNode) => (
    <div className={`bubble ${from}`} title={new Date(entry.createdAt).toLocaleString()}>
      {entry.author === "agent" && <div className="muted">Agent</div>}
      {content}
    </div>
  );
  switch (message.type) {
    case "user_text":
    case "agent_text":
    case "text":
      return bubble(message.text);
    case "user_choice":
      return bubble(<span>Chose: {message.values.join(", ")}</span>);
    case "image":
      return bubble(
        message.url.startsWith("https://") ? (
          // biome-ignore lint/performance/noImgElement: a visitor-facing image of any origin, shown as sent (no optimizer proxy).
          <img src={message.url} alt={message.alt ?? "image"} referrerPolicy="no-referrer" loading="lazy" />
        ) : (
          <span>[image] {message.alt ?? message.url}</span>
        ),
      );
    case "card":
      return bubble(
        <div>
          <strong>{message.title}</strong>
          {message.subtitle && <div>{message.subtitle}</div>}
          <Flex gap="1" wrap="wrap" mt="1">
            {message.buttons.map((button) => (
              <Badge variant="outline" key={button.label}>
                {button.label}
              </Badge>
            ))}
          </Flex>
        </div>,
      );
    case "quick_replies":
      return bubble(
        <div>
          {message.text}
          <Flex gap="1" wrap="wrap" mt="1">
            {message.replies.map((reply) => (
              <Badge variant="outline" key={reply.value}>
                {reply.label}
              </Badge>
            ))}
          </Flex>
        </div>,
      );
    case "ask":
      return bubble(
        <div>
          {message.text}
          {message.input.choices && (
            <Flex gap="1" wrap="wrap" mt="1">
              {message.input.choices.map((choice) => (
                <Badge variant="outline" key={choice.value}>
                  {choice.label}
                </Badge>
              ))}
            </Flex>
          )}
        </div>,
      );
    case "handoff":
      return (
        <div className="system-event" role="note">
          Handed off to a human{message.queue ? ` (queue ${message.queue})` : ""}
          {message.reason ? `: ${message.reason}` : ""}
          {message.text ? ` — “${message.text}”` : ""}
        </div>
      );
    case "end":
      return (
        <div className="system-event" role="note">
          Conversation ended{message.outcome ? ` (${message.outcome})` : ""}
          {message.text ? ` — “${message.text}”` : ""}
        </div>
      );
    case "typing":
      return null;
    default:
      return bubble(<code>{JSON.stringify(message)}</code>);
  }
}

/**
 * The transcript as the chat looked, with "variable set" events between the messages of the turn
 * that set them (a turn's changes are shown after the visitor's message that started it).
 */
export function TranscriptView({ transcript }: { transcript: TranscriptResponse }) {
  const changesByTurn = new Map<number, string[]>();
  for (const change of transcript.variableChanges) {
    changesByTurn.set(change.turn, [...(changesByTurn.get(change.turn) ?? []), change.name]);
  }
  // Turn n starts with the n-th user message (turn 1 is the start of the conversation).
  let turn = 1;
  const rows: ReactNode[] = [];
  const flush = (n: number) => {
    const names = changesByTurn.get(n);
    if (names)
      rows.push(
        <div key={`vars-${n}`} className="system-event">
          Set {names.join(", ")}
        </div>,
      );
    changesByTurn.delete(n);
  };
  for (const entry of transcript.entries) {
    if (entry.author === "user") {
      flush(turn);
      turn += 1;
    }
    rows.push(<Entry key={entry.seq} entry={entry} />);
  }
  for (const n of [...changesByTurn.keys()]) flush(n);
  return <div className="chat">{rows}</div>;
}
