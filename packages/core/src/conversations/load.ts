import type { Conversation } from "@parley/db";
import { traced } from "@parley/infra";
import type { ServiceContext } from "../context";
import { notFound, ServiceError } from "../errors";
import { isUuid } from "../internal/ids";

/** The part of a conversation row the turn pipeline reads (and the hot cache holds) (internal). */
export type LiveConversation = Pick<
  Conversation,
  | "id"
  | "tenantId"
  | "botId"
  | "flowId"
  | "flowVersionId"
  | "contactId"
  | "channel"
  | "status"
  | "variables"
  | "snapshot"
  | "lastSeq"
  | "turnCount"
> &
  Partial<Pick<Conversation, "experimentId" | "experimentVariant">>;

/** Key of a conversation's hot-cache entry (Redis in cluster mode, memory in embedded mode). */
export const hotKey = (tenantId: string, conversationId: string) => `conv:${tenantId}:${conversationId}`;
/** Idle conversations leave the hot cache after this long, unless `CoreDeps.hotCache.ttlMs` says otherwise. */
export const HOT_TTL_MS = 15 * 60_000;
/** The largest hot-cache entry (JSON bytes), unless `CoreDeps.hotCache.maxEntryBytes` says otherwise. */
export const HOT_MAX_ENTRY_BYTES = 64 * 1024;

/** The live part of a row. */
export function liveOf(row: LiveConversation): LiveConversation {
  return {
    id: row.id,
    tenantId: row.tenantId,
    botId: row.botId,
    flowId: row.flowId,
    flowVersionId: row.flowVersionId,
    contactId: row.contactId,
    channel: row.channel,
    status: row.status,
    variables: row.variables,
    snapshot: row.snapshot,
    lastSeq: row.lastSeq,
    turnCount: row.turnCount,
    // An experiment's assignment (an ab-split experiment steers its split on every turn).
    experimentId: row.experimentId ?? null,
    experimentVariant: row.experimentVariant ?? null,
  };
}

/** What {@link loadConversation} found. */
export interface Loaded {
  conversation: LiveConversation;
  /** With `clientMessageId`: the seq of the message that already carried it, else null. */
  seenSeq: number | null;
  /** Read from the hot cache (it may be stale; see {@link freshnessCheck}) rather than the database. */
  fromCache: boolean;
  /**
   * Read from the hot cache with a `clientMessageId` whose earlier use was not looked up: the
   * commit finds a resend (the unique index), and a turn with effects checks it before the first
   * one (see {@link freshnessCheck}).
   */
  uncheckedClientMessageId?: string;
}

/**
 * Loads a conversation the actor may see, or throws `conversation-not-found` (internal). With
 * `hot`, the hot cache answers first: it is only a cache, because every commit is a
 * compare-and-set on `lastSeq`, so a stale entry makes the commit fail and the step is redone from
 * the database (see {@link withFreshRetry}); a turn that runs effects checks first (see
 * {@link freshnessCheck}), so the redo never repeats an effect. With `clientMessageId`, also whether
 * that message was already stored, in the same round trip when the database is read; a cache hit
 * costs no round trip for it: the commit refuses a resend (the messages' unique index), the step is
 * redone from the database, and this read finds the message.
 */
async function loadConversationUntraced(
  ctx: ServiceContext,
  conversationId: string,
  options: { hot?: boolean; clientMessageId?: string } = {},
): Promise<Loaded> {
  let loaded: Loaded | undefined;
  if (isUuid(conversationId)) {
    const store = ctx.deps.db.conversationStore(ctx.tenantId);
    const cached = options.hot
      ? await ctx.deps.infra.cache.get<LiveConversation>(hotKey(ctx.tenantId, conversationId))
      : undefined;
    if (cached) {
      loaded = {
        conversation: cached,
        seenSeq: null,
        fromCache: true,
        ...(options.clientMessageId ? { uncheckedClientMessageId: options.clientMessageId } : {}),
      };
    } else {
      const read = await store.load(
        conversationId,
        options.clientMessageId ? { clientMessageId: options.clientMessageId } : {},
      );
      if (read.conversation) {
        loaded = { conversation: liveOf(read.conversation), seenSeq: read.seenSeq, fromCache: false };
      }
    }
  }
  if (
    !loaded ||
    loaded.conversation.tenantId !== ctx.tenantId ||
    (ctx.actor.type === "widget" && loaded.conversation.botId !== ctx.actor.botId)
  ) {
    throw notFound("conversation", conversationId);
  }
  return loaded;
}

/** {@link loadConversationUntraced} as the `parley.turn.load` span (internal). */
export const loadConversation = traced(
  "parley.turn.load",
  loadConversationUntraced,
  (_ctx, conversationId, options) => ({
    "parley.conversation.id": conversationId,
    "parley.load.hot": options?.hot === true,
  }),
);

/** The error a commit throws when its compare-and-set failed: the conversation moved on (internal). */
export const conversationMoved = (): ServiceError =>
  new ServiceError(
    "unavailable",
    "conversation-moved",
    "the conversation moved on while this message was processed; retry",
    {
      retryAfterSeconds: 1,
    },
  );

/**
 * For a conversation read from the hot cache: a check, run before the turn's first effect, that
 * the database's `lastSeq` is still the cached one and that the message is no resend (its client
 * message id unused), in one statement. When either fails, the step fails with
 * `conversation-moved` before any effect ran (a stale cache entry is dropped), so
 * {@link withFreshRetry} redoes it from the database and every effect runs once. Undefined for a
 * conversation read from the database (nothing to check) (internal).
 */
export function freshnessCheck(ctx: ServiceContext, loaded: Loaded): (() => Promise<void>) | undefined {
  if (!loaded.fromCache) return undefined;
  return async () => {
    const read = await ctx.deps.db
      .conversationStore(ctx.tenantId)
      .freshness(loaded.conversation.id, loaded.uncheckedClientMessageId);
    await assertFresh(ctx, loaded, read.lastSeq, read.seenSeq);
  };
}

/**
 * The freshness check of {@link freshnessCheck} with the database's `lastSeq` (and the seq of a
 * message with the same client message id) already read, with the turn's history in the same round
 * trip: throws `conversation-moved` when the cached copy is stale or the message a resend (internal).
 */
export async function assertFresh(
  ctx: ServiceContext,
  loaded: Loaded,
  currentLastSeq: number | null,
  seenSeq: number | null = null,
): Promise<void> {
  const fresh = currentLastSeq === loaded.conversation.lastSeq;
  if (fresh && seenSeq === null) return;
  if (!fresh) {
    await ctx.deps.infra.cache.delete(hotKey(ctx.tenantId, loaded.conversation.id)).catch(() => false);
  }
  throw conversationMoved();
}

/**
 * Runs a step from the hot cache; if the cache was stale (the freshness check before the first
 * effect, or the commit's compare-and-set, failed), once more from the database.
 */
export async function withFreshRetry<T>(fn: (hot: boolean) => Promise<T>): Promise<T> {
  try {
    return await fn(true);
  } catch (error) {
    if (error instanceof ServiceError && error.code === "conversation-moved") return fn(false);
    throw error;
  }
}
