import type { Channel, ConversationStatus, MessageAuthor } from "../generated/prisma/client";
import { type SqlText, sql } from "../sql/sql-text";

/** A message row to insert (its `seq` continues the conversation's `lastSeq`). */
export interface NewMessage {
  id: string;
  seq: number;
  author: MessageAuthor;
  authorUserId?: string | null;
  payload: unknown;
  text: string | null;
  nodeId?: string | null;
  clientMessageId?: string | null;
  createdAt: Date;
}

/** An analytics event row to insert (bot, version and conversation come from the conversation). */
export interface NewAnalyticsEvent {
  id: string;
  type: string;
  properties: Record<string, unknown>;
  occurredAt: Date;
}

/**
 * An event for the stream (transactional outbox), written with the step: `payload` is the whole event as
 * published (its `id` is the event id consumers deduplicate by, it carries `version`); `key` defaults to
 * the conversation id.
 */
export interface NewOutboxEvent {
  topic: string;
  key?: string;
  payload: { id: string; version: number } & Record<string, unknown>;
}

/**
 * One step of a conversation, written by one statement: the conversation row (inserted for the
 * first step, else updated with a compare-and-set on `lastSeq`), messages, analytics events, the
 * contact's attributes and the step's events for the stream (outbox; tenant webhooks are made from
 * them by the relay's `parley.webhooks` group). When the compare-and-set fails nothing is written.
 */
export interface TurnCommit {
  conversationId: string;
  botId: string;
  flowVersionId: string;
  /** The conversation does not exist yet: insert it. */
  create?: {
    flowId: string;
    contactId: string | null;
    channel: Channel;
    metadata: unknown;
    startedAt: Date;
    /** A messaging-channel conversation: set in the same transaction, so its thread finds it at once. */
    thread?: { channelConfigId: string; externalThreadId: string };
    /** The running experiment and variant the conversation is assigned to (written with the row). */
    experimentId?: string | null;
    experimentVariant?: string | null;
  };
  /** For an update: the `lastSeq` the step was computed from. */
  expectedLastSeq: number;
  set: {
    status: ConversationStatus;
    lastSeq: number;
    lastActivityAt: Date;
    /** 1 when the step ran a turn of the engine. */
    turnCountIncrement: 0 | 1;
    snapshot?: unknown;
    variables?: unknown;
    handoffAt?: Date;
    endedAt?: Date;
  };
  messages: readonly NewMessage[];
  analytics: readonly NewAnalyticsEvent[];
  /** Attributes merged (per key) into the conversation's contact, e.g. contact-scoped variables. */
  contactAttributes?: { contactId: string; attributes: Record<string, unknown> };
  /** The step's events for the stream, in order (written after the conversation row, see migration `outbox`). */
  outbox?: readonly NewOutboxEvent[];
  /**
   * The stored channel event (`channel_inbound_events` row `id`) whose turn this step is: marked
   * done, with this conversation, in the step's transaction when the step wrote its inbound message
   * `messageId` (so a failed compare-and-set marks nothing), instead of in a round trip of its own.
   */
  channelEvent?: { id: string; messageId: string };
}

/**
 * The statement writing `commit` for `tenantId`: one call of `parley_commit_step` (migration
 * `commit_step`), whose statements Postgres plans once per session. Returns one row with
 * `outcome` = `{ committed }`.
 */
export function turnCommitStatement(tenantId: string, commit: TurnCommit): SqlText {
  const { set } = commit;
  const iso = (date: Date | undefined) => date?.toISOString();
  const step = {
    tenant_id: tenantId,
    conversation_id: commit.conversationId,
    bot_id: commit.botId,
    flow_version_id: commit.flowVersionId,
    expected_last_seq: commit.expectedLastSeq,
    create: commit.create
      ? {
          flow_id: commit.create.flowId,
          contact_id: commit.create.contactId,
          channel: commit.create.channel,
          metadata: commit.create.metadata ?? {},
          started_at: iso(commit.create.startedAt),
          experiment_id: commit.create.experimentId ?? null,
          experiment_variant: commit.create.experimentVariant ?? null,
        }
      : null,
    set: {
      status: set.status,
      last_seq: set.lastSeq,
      last_activity_at: iso(set.lastActivityAt),
      turn_count_increment: set.turnCountIncrement,
      // Absent keys leave the column as it is (JSON.stringify drops undefined).
      ...(set.snapshot === undefined ? {} : { snapshot: set.snapshot ?? null }),
      ...(set.variables === undefined ? {} : { variables: set.variables ?? {} }),
      handoff_at: iso(set.handoffAt),
      ended_at: iso(set.endedAt),
    },
    messages: commit.messages.map((m) => ({
      id: m.id,
      seq: m.seq,
      author: m.author,
      author_user_id: m.authorUserId ?? null,
      payload: m.payload,
      text: m.text,
      node_id: m.nodeId ?? null,
      client_message_id: m.clientMessageId ?? null,
      created_at: iso(m.createdAt),
    })),
    analytics: commit.analytics.map((a) => ({
      id: a.id,
      type: a.type,
      properties: a.properties,
      occurred_at: iso(a.occurredAt),
    })),
    contact:
      commit.contactAttributes && Object.keys(commit.contactAttributes.attributes).length > 0
        ? { contact_id: commit.contactAttributes.contactId, attributes: commit.contactAttributes.attributes }
        : null,
    outbox: commit.outbox ?? [],
  };
  return sql`SELECT parley_commit_step(${step}) AS outcome`;
}

/** For a new channel conversation: its channel and thread, in the commit's transaction (else null). */
export function threadStatement(tenantId: string, commit: TurnCommit): SqlText | null {
  const thread = commit.create?.thread;
  if (!thread) return null;
  return sql`UPDATE conversations SET channel_config_id = ${thread.channelConfigId},
    external_thread_id = ${thread.externalThreadId}
    WHERE tenant_id = ${tenantId} AND id = ${commit.conversationId}`;
}

/**
 * For a step that answers a stored channel event: the event marked done with this conversation, in
 * the commit's transaction, only when the step's inbound message was written (else null).
 */
export function channelEventStatement(tenantId: string, commit: TurnCommit): SqlText | null {
  const event = commit.channelEvent;
  if (!event) return null;
  return sql`UPDATE channel_inbound_events SET status = 'done', conversation_id = ${commit.conversationId},
      error = NULL, processed_at = now()
    WHERE tenant_id = ${tenantId} AND id = ${event.id} AND EXISTS (SELECT 1 FROM messages
      WHERE id = ${event.messageId} AND tenant_id = ${tenantId} AND conversation_id = ${commit.conversationId})`;
}
