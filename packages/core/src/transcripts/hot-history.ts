import { TRANSCRIPT_HOT_MESSAGES_MIN } from "@parley/config";
import type { CoreDeps } from "../context";

/** Messages deleted per statement (one short transaction each). */
const PRUNE_BATCH = 500;
/**
 * How far past the kept window a conversation may grow before it is pruned: a long conversation is
 * pruned once per this many messages, in one statement, instead of a row or two after every turn.
 */
export const PRUNE_SLACK = 50;
/**
 * How long an ended conversation keeps its messages in Postgres after it ended: a resend of its last
 * message is still answered from them (replay by client message id), and its channel replies settle.
 * After it, the turn never reads them again (an ended conversation takes no turn): all go.
 */
export const ENDED_GRACE_MS = 60 * 60_000;
/** Default of `PARLEY_TRANSCRIPT_HOT_MESSAGES` when the deps do not say (tests, tools). */
const DEFAULT_HOT_MESSAGES = 100;

/**
 * The messages with text (user, bot or agent) Postgres keeps per conversation when transcripts are
 * archived: the configured count, never fewer than the widest window the turn (LLM history) and the
 * inbox (summary, preview) read from Postgres (internal).
 */
export function hotMessagesOf(deps: CoreDeps): number {
  return Math.max(deps.transcriptHotMessages ?? DEFAULT_HOT_MESSAGES, TRANSCRIPT_HOT_MESSAGES_MIN);
}

/** What the pre-check of a prune knows of a conversation (from the copy's read of it). */
export interface HotExtent {
  /** The oldest message seq Postgres has (null: none). */
  firstSeq: number | null;
  lastSeq: number;
  /** When it ended (null: still going). */
  endedAt: Date | null;
}

/** Whether an ended conversation is past its grace: Postgres keeps none of its messages then. */
const endedLongAgo = (endedAt: Date | null, now: Date): boolean =>
  endedAt !== null && now.getTime() - endedAt.getTime() >= ENDED_GRACE_MS;

/**
 * Whether a conversation's messages in Postgres should be pruned: it ended more than
 * {@link ENDED_GRACE_MS} ago and Postgres still has messages, or it has grown far enough past the
 * kept window (a cheap pre-check; the prune finds the exact bound) (internal).
 */
export function needsPrune(deps: CoreDeps, extent: HotExtent, now = new Date()): boolean {
  if (extent.firstSeq === null) return false;
  if (endedLongAgo(extent.endedAt, now)) return true;
  return extent.lastSeq - extent.firstSeq + 1 >= hotMessagesOf(deps) + PRUNE_SLACK;
}

interface PruneBounds {
  /** The seq of the oldest message with text that is kept (null: fewer than the window). */
  keep_from: number | null;
  /** A messaging-channel conversation (replies are delivered from Postgres's messages). */
  channel: boolean;
  /** The highest seq whose delivery is settled (sent or failed). */
  delivered: number | null;
  /** When the conversation ended, if it did. */
  ended_at: Date | null;
}

/**
 * Removes from Postgres the messages of an archived conversation it no longer needs, oldest first, in
 * statements of {@link PRUNE_BATCH} messages, each its own short transaction. Only messages the archive
 * has confirmed (seq at most `archivedSeq`, read back from it after the copy) go, so a crash loses
 * nothing; Postgres keeps everything from the {@link hotMessagesOf}-th newest message with text (the
 * LLM history and the inbox summary read the same rows as before), none of a conversation that ended
 * more than {@link ENDED_GRACE_MS} ago, and in a messaging-channel conversation everything after the
 * last settled delivery (the delivery pass reads it). A transaction
 * takes a per-conversation advisory lock with `pg_try_advisory_xact_lock`: another process pruning
 * the same conversation makes this one stop (no double work, no waiting). The turn's rows are not
 * touched: the conversation row is only read, and the deleted messages are ones no turn writes.
 * Resolves how many messages were removed (internal).
 */
export async function pruneHotHistory(
  deps: CoreDeps,
  tenantId: string,
  conversationId: string,
  archivedSeq: number,
  now = new Date(),
): Promise<{ pruned: number }> {
  const keep = hotMessagesOf(deps);
  let pruned = 0;
  // Where the previous batch ended: the next starts past it, not over its dead index entries.
  let after = 0;
  for (;;) {
    const removed = await deps.db.forTenant(tenantId).$transaction(async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
        SELECT pg_try_advisory_xact_lock(hashtext('parley.hot-history'), hashtext(${conversationId})) AS locked`;
      if (!lock?.locked) return 0;
      // The window's bound walks the (tenant_id, conversation_id, seq) index from the newest message.
      const [bounds] = await tx.$queryRaw<PruneBounds[]>`
        SELECT
          (SELECT m.seq FROM messages m
            WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id AND m.text IS NOT NULL
              AND m.author IN ('user', 'bot', 'agent')
            ORDER BY m.seq DESC OFFSET ${keep - 1} LIMIT 1) AS keep_from,
          c.channel_config_id IS NOT NULL AS channel,
          (SELECT max(d.seq) FROM channel_deliveries d
            WHERE d.tenant_id = c.tenant_id AND d.conversation_id = c.id
              AND d.status IN ('sent', 'failed')) AS delivered,
          CASE WHEN c.status = 'ended' THEN c.ended_at END AS ended_at
        FROM conversations c WHERE c.tenant_id = ${tenantId} AND c.id = ${conversationId}`;
      if (!bounds) return 0;
      const ended = endedLongAgo(bounds.ended_at === null ? null : new Date(bounds.ended_at), now);
      if (!ended && bounds.keep_from === null) return 0;
      let below = ended ? archivedSeq + 1 : Math.min(Number(bounds.keep_from), archivedSeq + 1);
      if (bounds.channel) below = Math.min(below, Number(bounds.delivered ?? 0) + 1);
      // A seq range whose end is looked up first: both statements walk the (tenant_id,
      // conversation_id, seq) index from the oldest message with both bounds in the index condition,
      // whatever the statistics (a `seq IN (SELECT ... LIMIT n)` form was planned as a nested loop
      // over the whole conversation on a table without fresh statistics: seconds per batch).
      const [end] = await tx.$queryRaw<{ seq: number }[]>`
        SELECT seq FROM messages
        WHERE tenant_id = ${tenantId} AND conversation_id = ${conversationId}
          AND seq > ${after} AND seq < ${below}
        ORDER BY seq OFFSET ${PRUNE_BATCH - 1} LIMIT 1`;
      const upTo = end ? Number(end.seq) : below - 1;
      const deleted = await tx.$executeRaw`
        DELETE FROM messages WHERE tenant_id = ${tenantId} AND conversation_id = ${conversationId}
          AND seq > ${after} AND seq <= ${upTo}`;
      after = upTo;
      return deleted;
    });
    pruned += removed;
    if (removed < PRUNE_BATCH) return { pruned };
  }
}
