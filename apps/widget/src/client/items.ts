import type { OutgoingMessage, SendMessageRequest, TranscriptEntry } from "./types";

/** A message the bot (or the flow) sent. */
export interface BotItem {
  readonly kind: "bot";
  readonly id: string;
  readonly message: OutgoingMessage;
  /** The user message whose turn produced it (to discard a half-received turn before a resend). */
  readonly turn?: string;
}

/** An LLM reply still arriving token by token. */
export interface StreamItem {
  readonly kind: "stream";
  readonly id: string;
  readonly nodeId: string;
  readonly text: string;
  readonly turn?: string;
}

/** Something the visitor sent. `id` is its clientMessageId. */
export interface UserItem {
  readonly kind: "user";
  readonly id: string;
  readonly text: string;
  readonly state: "sending" | "sent" | "failed";
  readonly error?: string;
  /** The exact request, so a resend is byte-for-byte the same (same clientMessageId). */
  readonly request?: SendMessageRequest;
}

/** A human agent's reply during a handoff. */
export interface AgentItem {
  readonly kind: "agent";
  readonly id: string;
  readonly text: string;
}

/** One row of the chat. */
export type ChatItem = BotItem | StreamItem | UserItem | AgentItem;

/** The label the visitor saw for a choice value, looked up in the options shown before it. */
function labelFor(value: string, before: readonly ChatItem[]): string {
  for (let index = before.length - 1; index >= 0; index--) {
    const item = before[index];
    if (item?.kind !== "bot") continue;
    const message = item.message;
    const options =
      message.type === "ask"
        ? message.input.choices
        : message.type === "quick_replies"
          ? message.replies
          : message.type === "card"
            ? message.buttons
            : undefined;
    const found = options?.find((option) => option.value === value);
    if (found) return found.label;
  }
  return value;
}

/** Turns a stored transcript into chat rows. */
export function itemsFromTranscript(entries: readonly TranscriptEntry[]): ChatItem[] {
  const items: ChatItem[] = [];
  for (const entry of entries) {
    const id = `t${entry.seq}`;
    const message = entry.message;
    if (message.type === "user_text") items.push({ kind: "user", id, text: message.text, state: "sent" });
    else if (message.type === "user_choice")
      items.push({
        kind: "user",
        id,
        text: message.values.map((value) => labelFor(value, items)).join(", "),
        state: "sent",
      });
    else if (message.type === "agent_text") items.push(...agentItems(entry));
    else if (message.type !== "typing") items.push({ kind: "bot", id, message });
  }
  return items;
}

/**
 * The rows of an agent's message: the text, then its attachment (a link) and its quick replies
 * (shown as the usual reply buttons, so picking one answers the agent).
 */
export function agentItems(entry: TranscriptEntry): ChatItem[] {
  const message = entry.message;
  if (message.type !== "agent_text") return [];
  const id = `t${entry.seq}`;
  const rows: ChatItem[] = [{ kind: "agent", id, text: message.text }];
  if (message.attachmentUrl) {
    rows.push({
      kind: "bot",
      id: `${id}-file`,
      message: {
        type: "text",
        nodeId: "",
        text: `[Attachment](${message.attachmentUrl})`,
        format: "markdown",
        source: "system",
      },
    });
  }
  if (message.replies?.length) {
    rows.push({
      kind: "bot",
      id: `${id}-replies`,
      message: { type: "quick_replies", nodeId: "", replies: message.replies },
    });
  }
  return rows;
}

/** What the visitor is asked for right now: the last prompt after their last message, if any. */
export function currentPrompt(items: readonly ChatItem[]): BotItem | undefined {
  for (let index = items.length - 1; index >= 0; index--) {
    const item = items[index];
    if (item?.kind === "user" || item?.kind === "agent") return undefined;
    if (item?.kind === "bot" && (item.message.type === "ask" || item.message.type === "quick_replies"))
      return item;
  }
  return undefined;
}

/** Whether `item` belongs to the bot's latest turn (its buttons are still live). */
export function isInLatestTurn(items: readonly ChatItem[], item: ChatItem): boolean {
  for (let index = items.length - 1; index >= 0; index--) {
    const current = items[index];
    if (current === item) return true;
    if (current?.kind === "user") return false;
  }
  return false;
}
