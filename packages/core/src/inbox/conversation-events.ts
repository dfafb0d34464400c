import type { ConversationEvent, InboxNote, TranscriptEntry } from "@parley/contract";
import type { ServiceContext } from "../context";

/** The pub/sub channel of one conversation's live events (every process publishes and listens here). */
export const conversationChannel = (tenantId: string, conversationId: string): string =>
  `conversation-events:${tenantId}:${conversationId}`;

/** The pub/sub channel that says "the inbox of this tenant changed" (new handoff, claim, transfer...). */
export const inboxChannel = (tenantId: string): string => `inbox-events:${tenantId}`;

/** What goes over pub/sub for a conversation (internal). */
export type ConversationNotice =
  | {
      kind: "committed";
      /** The messages the commit wrote, in seq order. */
      entries: TranscriptEntry[];
      lastSeq: number;
      /** Whether status or assignment changed (listeners then send a `status` event). */
      stateChanged: boolean;
    }
  | { kind: "state"; lastSeq: number }
  | {
      kind: "typing";
      data: Extract<ConversationEvent, { event: "typing" }>["data"];
      /** The stored typing timestamp (embedded mode), so a stream of this process sends it once. */
      at?: number | null;
    }
  | { kind: "note"; note: InboxNote };

/**
 * Tells every listening process (SSE streams of the widget, the REST API and the studio inbox)
 * about a conversation change. Called after the change is committed; best effort, because the
 * database is the truth and a stream that misses a notice catches up from it on the next one or on
 * reconnect (Last-Event-ID).
 */
export async function publishConversationNotice(
  ctx: ServiceContext,
  conversationId: string,
  notice: ConversationNotice,
): Promise<void> {
  const pubsub = ctx.deps.infra.pubsub;
  try {
    const toInbox = notice.kind === "committed" ? notice.stateChanged : notice.kind === "state";
    // Both in the same tick: one Redis write in cluster mode.
    await Promise.all([
      pubsub.publish(conversationChannel(ctx.tenantId, conversationId), notice),
      toInbox ? pubsub.publish(inboxChannel(ctx.tenantId), { conversationId }) : undefined,
    ]);
  } catch (error) {
    ctx.deps.logger?.warn(
      { error: String(error), conversationId },
      "conversation event not published (streams catch up from the database)",
    );
  }
}

/** A stored message row as a transcript entry (internal). */
export function entryOf(row: {
  seq: number;
  author: TranscriptEntry["author"];
  createdAt: Date;
  payload: unknown;
}): TranscriptEntry {
  return {
    seq: row.seq,
    author: row.author,
    createdAt: row.createdAt.toISOString(),
    message: row.payload as TranscriptEntry["message"],
  };
}
