import type { ConversationSummary, listConversationsQuerySchema, TranscriptEntry } from "@parley/contract";
import type { z } from "zod";
import type { Channel, ConversationStatus, MessageAuthor } from "../generated/prisma/client";

/** The parsed filters of a conversation list (the REST query after defaults). */
export type ConversationFilters = z.output<typeof listConversationsQuerySchema>;

/**
 * A conversation as a transcript store keeps it: what the Conversations page, the REST list and a
 * transcript's header show. Never the turn's state (snapshot, variables): that stays in Postgres
 * with the turn's transaction.
 */
export interface TranscriptConversation {
  id: string;
  botId: string;
  flowId: string;
  flowVersionId: string;
  /** The published version number (a list column and filter; denormalised where no join exists). */
  flowVersion: number | null;
  channel: Channel;
  status: ConversationStatus;
  /** The agent who has it (decides `waiting` vs `handoff`). */
  assignedUserId: string | null;
  experimentVariant: string | null;
  contactId: string | null;
  /** The contact's display name when written (MongoDB keeps a copy; Postgres joins the contact). */
  contactName: string | null;
  turnCount: number;
  /** The highest message seq: an older copy never overwrites a newer one. */
  lastSeq: number;
  startedAt: Date;
  lastActivityAt: Date;
  endedAt: Date | null;
  csatScore: number | null;
}

/** One message of a transcript. */
export interface TranscriptMessage {
  /** The message id (the same in every store): appending it again is a no-op. */
  id: string;
  conversationId: string;
  seq: number;
  author: MessageAuthor;
  /** The rendered message as the wire contract defines it. */
  payload: unknown;
  /** Plain text, for search (null for messages without text). */
  text: string | null;
  /** The sender's id for retries: a second message with it in the conversation is a no-op. */
  clientMessageId: string | null;
  createdAt: Date;
}

/** A conversation list row with its bot (the contract's summary row). */
export type TranscriptSummary = ConversationSummary & { botId: string };

/** One page request of a bot's conversation list, newest first. */
export interface TranscriptQuery {
  botId: string;
  /** The list filters (state, status, channel, contact, flow version, variant, ranges, `q`). */
  filters: Omit<ConversationFilters, "limit" | "cursor">;
  /** The previous page's `nextCursor` (a conversation id): only older conversations. */
  cursor?: string | undefined;
  limit: number;
}

/** A page of a bot's conversations, newest first. */
export interface TranscriptListPage {
  items: TranscriptSummary[];
  nextCursor: string | null;
}

/** A page of one conversation's messages, in seq order. */
export interface TranscriptPage {
  entries: TranscriptEntry[];
  /** Pass as `afterSeq` for the next page; null when this was the last. */
  nextSeq: number | null;
}

/** How long a tenant keeps transcripts (its `transcriptRetentionDays` setting); null keeps them. */
export interface RetentionOptions {
  retentionDays?: number | null;
}

/** Where a mirror from Postgres has got to: the last conversation change copied, by (updatedAt, id). */
export interface MirrorMark {
  updatedAt: Date;
  conversationId: string;
}

/** What an erase or a purge removed. */
export interface RemovedCounts {
  conversations: number;
  messages: number;
}

/**
 * Where conversations and their messages (transcripts) are read from and archived to. Postgres
 * implements it over the turn's own tables (the turn's commit is its write path); MongoDB
 * implements it over two collections when `MONGODB_URL` is set (see docs/mongodb.md), written
 * after the turn's commit. Every method is scoped by `tenantId`; a blank tenant is an error. The
 * same contract suite (transcript-store.contract.ts) runs against both.
 */
export interface TranscriptStore {
  readonly kind: "postgres" | "mongodb";
  /** Creates indexes and the like; idempotent, run at start. */
  prepare(): Promise<void>;
  /**
   * Writes a conversation's row, created or updated; a copy with a lower `lastSeq` than the stored
   * one is ignored (at-least-once delivery may replay an old copy after a newer one).
   */
  saveConversation(
    tenantId: string,
    conversation: TranscriptConversation,
    options?: RetentionOptions,
  ): Promise<void>;
  /**
   * Appends messages; one whose id, seq or client message id the conversation already has is
   * skipped (idempotent). Resolves how many were new.
   */
  appendMessages(
    tenantId: string,
    messages: readonly TranscriptMessage[],
    options?: RetentionOptions,
  ): Promise<{ inserted: number }>;
  /**
   * The `lastSeq` of the stored conversation row (null when there is none): every message up to it
   * is stored, as a mirror appends messages before it saves the row.
   */
  storedSeq(tenantId: string, conversationId: string): Promise<number | null>;
  /** A conversation's list row, or null when the tenant has none with this id. */
  getConversation(tenantId: string, conversationId: string): Promise<TranscriptSummary | null>;
  /** Messages after `afterSeq` (default 0), at most `limit` (default 1,000), in seq order. */
  readTranscript(
    tenantId: string,
    conversationId: string,
    page?: { afterSeq?: number; limit?: number },
  ): Promise<TranscriptPage>;
  /** A bot's conversations, newest first, filtered, searched (`q`) and paged by cursor. */
  listConversations(tenantId: string, query: TranscriptQuery): Promise<TranscriptListPage>;
  /**
   * Retention: removes messages created before `cutoff` and ended conversations last active
   * before it (MongoDB's TTL index does the same continuously from `expireAt`).
   */
  purgeExpired(tenantId: string, cutoff: Date): Promise<RemovedCounts>;
  /** GDPR erasure: removes every conversation of the contact with its messages. */
  eraseContact(tenantId: string, contactId: string): Promise<RemovedCounts>;
  /** Removes these conversations with their messages (erasure of rows Postgres no longer has). */
  removeConversations(tenantId: string, conversationIds: readonly string[]): Promise<RemovedCounts>;
  /**
   * The mirror's progress per tenant, kept beside the copy (stores that receive a mirror; Postgres,
   * where the turn writes, has none).
   */
  readonly mirror?: {
    mark(tenantId: string): Promise<MirrorMark | null>;
    setMark(tenantId: string, mark: MirrorMark): Promise<void>;
  };
  /** Releases connections. */
  close(): Promise<void>;
}
