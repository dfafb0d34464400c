import type pg from "pg";
import { type SqlText, sql } from "../sql/sql-text";
import { type BatchRows, runTenantBatch } from "../sql/tenant-batch";
import type { InboundBatcher } from "./inbound-batcher";

/** An inbound platform event to store once (a platform's retry of the same `eventId` stores nothing). */
export interface NewInboundEvent {
  id: string;
  eventId: string;
  threadId: string;
  payload: unknown;
}

/** A stored inbound event waiting for its turn. */
export interface PendingInboundEvent {
  id: string;
  payload: unknown;
}

/**
 * How an inbound event's turn ended, written with the next read of its thread (a turn's commit
 * marks its own event done: see `TurnCommit.channelEvent`).
 */
export type InboundOutcome =
  | { id: string; status: "done"; conversationId: string | null }
  | { id: string; status: "failed"; error: string };

/** A transcript message due on a channel, with its delivery row when an attempt was made. */
export interface DueMessage {
  id: string;
  seq: number;
  author: string;
  payload: unknown;
  nodeId: string | null;
  delivery: {
    id: string;
    status: string;
    attempts: number;
    callsSent: number;
    nextAttemptAt: Date | null;
    platformMessageId: string | null;
  } | null;
}

/** What a delivery pass reads in one round trip. */
export interface DeliveryPass {
  conversation: { channelConfigId: string | null; externalThreadId: string | null; metadata: unknown } | null;
  /** The payload of the conversation's latest inbound event (its reply context), or null. */
  latestInbound: unknown;
  /** Bot, agent and system messages after the last sent or failed delivery, oldest first. */
  messages: DueMessage[];
}

/** A delivery attempt's outcome, keyed by (conversation, message). */
export interface DeliveryRecord {
  id: string;
  channelConfigId: string;
  conversationId: string;
  messageId: string;
  seq: number;
  status: "sent" | "pending" | "failed";
  attempts: number;
  callsSent: number;
  nextAttemptAt: Date | null;
  platformMessageId: string | null;
  lastError: string | null;
  now: Date;
}

/**
 * The channel paths' data access for one tenant in plain SQL (like the conversation store): each
 * method is ONE transaction in ONE round trip under row-level security, so a webhook's
 * acknowledgement, a thread's drain and a delivery pass cost a round trip per step instead of a
 * Prisma transaction per call.
 */
export interface ChannelStore {
  readonly tenantId: string;
  /**
   * Stores the events not stored before (unique channel + event id); returns the new rows. Calls
   * made while the inserts in flight are busy are stored together (see InboundBatcher).
   */
  storeInbound(
    channelConfigId: string,
    events: readonly NewInboundEvent[],
  ): Promise<{ id: string; threadId: string }[]>;
  /**
   * Writes the outcomes of a thread's last events and reads its next pending ones (oldest first)
   * and the thread's open conversation (the newest not ended), in one round trip. With `limit` 0
   * it only writes the outcomes (nothing at all when there are none) and reads nothing.
   */
  drainThread(
    channelConfigId: string,
    threadId: string,
    outcomes: readonly InboundOutcome[],
    limit: number,
  ): Promise<{ pending: PendingInboundEvent[]; openConversationId: string | null }>;
  /** Reads what a delivery pass of a conversation needs (see {@link DeliveryPass}). */
  deliveryPass(conversationId: string, limit: number): Promise<DeliveryPass>;
  /** Records delivery attempts (each inserted, or updated when its message had one), in one statement. */
  recordDeliveries(records: readonly DeliveryRecord[]): Promise<void>;
}

/**
 * The store of one tenant over `pool`, storing inbound events through `inbound` (its own pool or
 * the same, grouping concurrent webhooks' inserts) (internal; reach it through `db.channelStore`).
 */
export function createChannelStore(pool: pg.Pool, tenantId: string, inbound: InboundBatcher): ChannelStore {
  const batch = (statements: readonly SqlText[]): Promise<BatchRows[]> =>
    runTenantBatch(pool, tenantId, statements);
  return {
    tenantId,
    async storeInbound(channelConfigId, events) {
      if (events.length === 0) return [];
      return inbound.store(
        tenantId,
        events.map((event) => ({ ...event, channelConfigId })),
      );
    },
    async drainThread(channelConfigId, threadId, outcomes, limit) {
      const statements: SqlText[] = [];
      if (outcomes.length > 0) {
        const rows = outcomes.map((outcome) => ({
          id: outcome.id,
          status: outcome.status,
          conversation_id: outcome.status === "done" ? outcome.conversationId : null,
          error: outcome.status === "failed" ? outcome.error.slice(0, 1_000) : null,
        }));
        statements.push(
          sql`UPDATE channel_inbound_events e SET status = o.status,
              conversation_id = COALESCE(o.conversation_id, e.conversation_id), error = o.error,
              processed_at = now()
            FROM jsonb_to_recordset(${rows}) AS o(id text, status text, conversation_id text, error text)
            WHERE e.tenant_id = ${tenantId} AND e.id = o.id`,
        );
      }
      // Limit 0: only the outcomes are written (a drain that stops).
      if (limit === 0) {
        if (statements.length > 0) await batch(statements);
        return { pending: [], openConversationId: null };
      }
      statements.push(
        sql`SELECT id, payload FROM channel_inbound_events
          WHERE tenant_id = ${tenantId} AND channel_config_id = ${channelConfigId} AND thread_id = ${threadId}
            AND status = 'pending'
          ORDER BY received_at, id LIMIT ${limit}`,
        sql`SELECT id FROM conversations
          WHERE tenant_id = ${tenantId} AND channel_config_id = ${channelConfigId}
            AND external_thread_id = ${threadId} AND status <> 'ended'
          ORDER BY started_at DESC LIMIT 1`,
      );
      const results = await batch(statements);
      const [pending, open] = results.slice(outcomes.length > 0 ? 1 : 0);
      return {
        pending: (pending ?? []) as unknown as PendingInboundEvent[],
        openConversationId: (open?.[0]?.id as string | undefined) ?? null,
      };
    },
    async deliveryPass(conversationId, limit) {
      const [conversation, latest, messages] = await batch([
        sql`SELECT channel_config_id AS "channelConfigId", external_thread_id AS "externalThreadId", metadata
          FROM conversations WHERE tenant_id = ${tenantId} AND id = ${conversationId}`,
        sql`SELECT payload FROM channel_inbound_events
          WHERE tenant_id = ${tenantId} AND conversation_id = ${conversationId}
          ORDER BY received_at DESC LIMIT 1`,
        sql`SELECT m.id, m.seq, m.author, m.payload, m.node_id AS "nodeId",
            CASE WHEN d.id IS NULL THEN NULL ELSE jsonb_build_object('id', d.id, 'status', d.status,
              'attempts', d.attempts, 'callsSent', d.calls_sent, 'nextAttemptAt', d.next_attempt_at,
              'platformMessageId', d.platform_message_id) END AS delivery
          FROM messages m
          LEFT JOIN channel_deliveries d ON d.conversation_id = m.conversation_id AND d.message_id = m.id
          WHERE m.tenant_id = ${tenantId} AND m.conversation_id = ${conversationId}
            AND m.author IN ('bot', 'agent', 'system')
            AND m.seq > COALESCE((SELECT max(seq) FROM channel_deliveries
              WHERE tenant_id = ${tenantId} AND conversation_id = ${conversationId}
                AND status IN ('sent', 'failed')), 0)
          ORDER BY m.seq LIMIT ${limit}`,
      ]);
      return {
        conversation: (conversation?.[0] as DeliveryPass["conversation"] | undefined) ?? null,
        latestInbound: latest?.[0]?.payload ?? null,
        // jsonb_build_object renders the retry time as text: back to a Date.
        messages: ((messages ?? []) as unknown as DueMessage[]).map((message) => ({
          ...message,
          delivery: message.delivery
            ? {
                ...message.delivery,
                nextAttemptAt: message.delivery.nextAttemptAt
                  ? new Date(message.delivery.nextAttemptAt as unknown as string)
                  : null,
              }
            : null,
        })),
      };
    },
    async recordDeliveries(records) {
      if (records.length === 0) return;
      const rows = records.map((record) => ({
        id: record.id,
        channel_config_id: record.channelConfigId,
        conversation_id: record.conversationId,
        message_id: record.messageId,
        seq: record.seq,
        status: record.status,
        attempts: record.attempts,
        calls_sent: record.callsSent,
        next_attempt_at: record.nextAttemptAt?.toISOString() ?? null,
        platform_message_id: record.platformMessageId,
        last_error: record.lastError,
        now: record.now.toISOString(),
      }));
      await batch([
        sql`INSERT INTO channel_deliveries (id, tenant_id, channel_config_id, conversation_id, message_id, seq,
            status, attempts, calls_sent, next_attempt_at, platform_message_id, last_error, created_at, updated_at)
          SELECT r.id, ${tenantId}, r.channel_config_id, r.conversation_id, r.message_id, r.seq, r.status,
            r.attempts, r.calls_sent, r.next_attempt_at, r.platform_message_id, r.last_error, r.now, r.now
          FROM jsonb_to_recordset(${rows}) AS r(id text, channel_config_id text, conversation_id text,
            message_id text, seq int, status text, attempts int, calls_sent int, next_attempt_at timestamptz,
            platform_message_id text, last_error text, now timestamptz)
          ON CONFLICT (conversation_id, message_id) DO UPDATE SET status = EXCLUDED.status,
            attempts = EXCLUDED.attempts, calls_sent = EXCLUDED.calls_sent,
            next_attempt_at = EXCLUDED.next_attempt_at,
            platform_message_id = COALESCE(EXCLUDED.platform_message_id, channel_deliveries.platform_message_id),
            last_error = COALESCE(EXCLUDED.last_error, channel_deliveries.last_error),
            updated_at = EXCLUDED.updated_at`,
      ]);
    },
  };
}
