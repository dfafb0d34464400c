import type { ConversationState } from "@parley/contract";
import { stateOf } from "../conversation-state";
import type { TranscriptConversation, TranscriptMessage } from "../transcript-store";

/** Collection names (in the database named by `MONGODB_URL`'s path, default `parley`). */
export const CONVERSATIONS = "conversations";
export const MESSAGES = "messages";
/** One document per tenant: how far the mirror from Postgres has got (small, unsharded). */
export const MIRROR_MARKS = "transcript_mirror_marks";

/** A document of `transcript_mirror_marks`. */
export interface MirrorMarkDocument {
  /** The tenant id. */
  _id: string;
  updatedAt: Date;
  conversationId: string;
}

/**
 * A document of `conversations`: the list row of one conversation (the store's
 * {@link TranscriptConversation} with `_id` for `id`). `_id` is the conversation id (UUIDv7: newest
 * first is `_id` descending). Shard key `{ tenantId: 1, _id: 1 }`.
 */
export interface ConversationDocument extends Omit<TranscriptConversation, "id"> {
  _id: string;
  tenantId: string;
  /** Derived from status and assignee at write, so the state filter is one equality. */
  state: ConversationState;
  /** When the TTL index removes it: ended conversations, last activity + the tenant's retention. */
  expireAt: Date | null;
}

/**
 * A document of `messages` (the store's {@link TranscriptMessage}, its id as `messageId`). `_id` is
 * `<conversationId>:<seq>`: a conversation's messages share a shard (shard key `{ tenantId: 1,
 * conversationId: "hashed" }`), so the per-shard `_id` index makes a seq unique in its conversation (a
 * hashed-sharded collection cannot have other unique indexes) and an append replayed is an upsert that
 * matches.
 */
export interface MessageDocument extends Omit<TranscriptMessage, "id"> {
  _id: string;
  tenantId: string;
  messageId: string;
  /** When the TTL index removes it: created + the tenant's retention (null: kept). */
  expireAt: Date | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `from` + `retentionDays`, or null when the tenant keeps transcripts (no retention set). */
export function expireAtOf(from: Date, retentionDays: number | null | undefined): Date | null {
  if (retentionDays === null || retentionDays === undefined) return null;
  if (!Number.isFinite(retentionDays) || retentionDays <= 0) return null;
  return new Date(from.getTime() + retentionDays * DAY_MS);
}

/** The `messages` document of one message. */
export function messageDocument(
  tenantId: string,
  message: TranscriptMessage,
  retentionDays?: number | null,
): MessageDocument {
  return {
    _id: `${message.conversationId}:${message.seq}`,
    tenantId,
    conversationId: message.conversationId,
    messageId: message.id,
    seq: message.seq,
    author: message.author,
    payload: message.payload,
    text: message.text,
    clientMessageId: message.clientMessageId,
    createdAt: message.createdAt,
    expireAt: expireAtOf(message.createdAt, retentionDays),
  };
}

/** The `conversations` document of one conversation. */
export function conversationDocument(
  tenantId: string,
  conversation: TranscriptConversation,
  retentionDays?: number | null,
): ConversationDocument {
  const c = conversation;
  return {
    _id: c.id,
    tenantId,
    botId: c.botId,
    flowId: c.flowId,
    flowVersionId: c.flowVersionId,
    flowVersion: c.flowVersion,
    channel: c.channel,
    status: c.status,
    state: stateOf(c.status, c.assignedUserId),
    assignedUserId: c.assignedUserId,
    experimentVariant: c.experimentVariant,
    contactId: c.contactId,
    contactName: c.contactName,
    turnCount: c.turnCount,
    lastSeq: c.lastSeq,
    startedAt: c.startedAt,
    lastActivityAt: c.lastActivityAt,
    endedAt: c.endedAt,
    csatScore: c.csatScore,
    expireAt: c.status === "ended" ? expireAtOf(c.lastActivityAt, retentionDays) : null,
  };
}
