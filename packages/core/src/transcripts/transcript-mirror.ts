import type {
  Channel,
  ConversationStatus,
  MessageAuthor,
  TranscriptConversation,
  TranscriptStore,
} from "@parley/db";
import type { CoreDeps } from "../context";
import { ENDED_GRACE_MS, needsPrune, pruneHotHistory } from "./hot-history";
import { transcriptArchiveOf } from "./transcript-stores";

/** The job queue that copies a committed step's transcript to the archive (MongoDB). */
export const TRANSCRIPT_QUEUE = "transcripts";
/** Messages copied per round trip. */
const COPY_BATCH = 500;
/** Conversations a sweep copies per tenant per pass. */
const SWEEP_BATCH = 500;
/**
 * The sweep only reads changes older than this: a transaction that set `updated_at` earlier and
 * committed later is then visible, so the mark never passes a change it did not see.
 */
export const SWEEP_SETTLE_MS = 10_000;

interface ConversationSource {
  id: string;
  bot_id: string;
  flow_id: string;
  flow_version_id: string;
  version: number | null;
  channel: Channel;
  status: ConversationStatus;
  assigned_user_id: string | null;
  experiment_variant: string | null;
  contact_id: string | null;
  display_name: string | null;
  turn_count: number;
  last_seq: number;
  started_at: Date;
  last_activity_at: Date;
  ended_at: Date | null;
  csat_score: number | null;
  retention_days: string | null;
  /** The oldest message seq Postgres still has (null: none). */
  first_seq: number | null;
}

/** The tenant's `transcriptRetentionDays` setting as a number of days, or null (kept). */
function retentionOf(value: string | null): number | null {
  const days = value === null ? Number.NaN : Number(value);
  return Number.isFinite(days) && days > 0 ? days : null;
}

function toConversation(row: ConversationSource): TranscriptConversation {
  return {
    id: row.id,
    botId: row.bot_id,
    flowId: row.flow_id,
    flowVersionId: row.flow_version_id,
    flowVersion: row.version === null ? null : Number(row.version),
    channel: row.channel,
    status: row.status,
    assignedUserId: row.assigned_user_id,
    experimentVariant: row.experiment_variant,
    contactId: row.contact_id,
    contactName: row.display_name,
    turnCount: Number(row.turn_count),
    lastSeq: Number(row.last_seq),
    startedAt: new Date(row.started_at),
    lastActivityAt: new Date(row.last_activity_at),
    endedAt: row.ended_at === null ? null : new Date(row.ended_at),
    csatScore: row.csat_score === null ? null : Number(row.csat_score),
  };
}

async function readSource(deps: CoreDeps, tenantId: string, conversationId: string) {
  const rows = await deps.db.forTenant(tenantId).$queryRaw<ConversationSource[]>`
    SELECT c.id, c.bot_id, c.flow_id, c.flow_version_id, fv.version, c.channel::text AS channel,
      c.status::text AS status, c.assigned_user_id, c.experiment_variant, c.contact_id, ct.display_name,
      c.turn_count, c.last_seq, c.started_at, c.last_activity_at, c.ended_at, c.csat_score,
      (SELECT t.settings->>'transcriptRetentionDays' FROM tenants t WHERE t.id = c.tenant_id) AS retention_days,
      (SELECT min(m.seq) FROM messages m WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id) AS first_seq
    FROM conversations c
    LEFT JOIN contacts ct ON ct.tenant_id = c.tenant_id AND ct.id = c.contact_id
    LEFT JOIN flow_versions fv ON fv.tenant_id = c.tenant_id AND fv.id = c.flow_version_id
    WHERE c.tenant_id = ${tenantId} AND c.id = ${conversationId}`;
  return rows[0];
}

/**
 * Copies one conversation from Postgres to the archive: the messages past the archive's stored
 * seq, then the list row (so a row's `lastSeq` promises its messages are there). Idempotent and
 * safe to repeat (at-least-once jobs and sweeps both call it). A conversation Postgres no longer has
 * (erased, deleted) is removed from the archive, and the check is repeated after writing, so a copy
 * racing an erasure cannot bring the conversation back. Then, when Postgres holds more of the
 * conversation than the turn needs, the messages the archive confirms it has (its stored seq, read
 * back) are pruned from Postgres (see {@link pruneHotHistory}).
 */
export async function syncConversation(
  deps: CoreDeps,
  archive: TranscriptStore,
  tenantId: string,
  conversationId: string,
): Promise<{ messages: number; pruned: number }> {
  const source = await readSource(deps, tenantId, conversationId);
  if (!source) {
    await archive.removeConversations(tenantId, [conversationId]);
    return { messages: 0, pruned: 0 };
  }
  const retentionDays = retentionOf(source.retention_days);
  const db = deps.db.forTenant(tenantId);
  let afterSeq = (await archive.storedSeq(tenantId, conversationId)) ?? 0;
  let copied = 0;
  while (afterSeq < Number(source.last_seq)) {
    const messages = await db.message.findMany({
      where: { conversationId, seq: { gt: afterSeq } },
      orderBy: { seq: "asc" },
      take: COPY_BATCH,
      select: {
        id: true,
        seq: true,
        author: true,
        payload: true,
        text: true,
        clientMessageId: true,
        createdAt: true,
      },
    });
    if (messages.length === 0) break;
    const { inserted } = await archive.appendMessages(
      tenantId,
      messages.map((message) => ({ ...message, conversationId, author: message.author as MessageAuthor })),
      { retentionDays },
    );
    copied += inserted;
    afterSeq = messages.at(-1)!.seq;
  }
  await archive.saveConversation(tenantId, toConversation(source), { retentionDays });
  const still = await db.conversation.findFirst({ where: { id: conversationId }, select: { id: true } });
  if (!still) {
    await archive.removeConversations(tenantId, [conversationId]);
    return { messages: copied, pruned: 0 };
  }
  const extent = {
    firstSeq: source.first_seq === null ? null : Number(source.first_seq),
    lastSeq: Number(source.last_seq),
    endedAt: source.status === "ended" && source.ended_at !== null ? new Date(source.ended_at) : null,
  };
  if (!needsPrune(deps, extent)) return { messages: copied, pruned: 0 };
  // Only what the archive says it holds: its row's lastSeq, written after the messages.
  const archivedSeq = await archive.storedSeq(tenantId, conversationId);
  if (archivedSeq === null) return { messages: copied, pruned: 0 };
  const { pruned } = await pruneHotHistory(deps, tenantId, conversationId, archivedSeq);
  return { messages: copied, pruned };
}

/** What a transcript job carries. */
export interface TranscriptJob {
  tenantId: string;
  conversationId: string;
}

/**
 * Queues the copy of a committed step (after commit; with MongoDB only). The job id names the
 * step, so a step is queued once; a crash before this call is repaired by {@link sweepTranscripts}.
 */
export async function enqueueTranscriptSync(
  deps: CoreDeps,
  tenantId: string,
  conversationId: string,
  lastSeq: number,
): Promise<void> {
  const job: TranscriptJob = { tenantId, conversationId };
  await deps.infra.queue.add(TRANSCRIPT_QUEUE, job, {
    jobId: `transcript:${conversationId}:${lastSeq}`,
    attempts: 10,
    backoff: { type: "exponential", delayMs: 1_000 },
  });
}

/**
 * Queues the copy that prunes an ended conversation from Postgres once its grace has passed (after
 * the step that ended it; with MongoDB only). A crash before this call leaves the conversation's
 * messages in Postgres (nothing is lost; it is pruned if it changes again).
 */
export async function enqueueEndedPrune(
  deps: CoreDeps,
  tenantId: string,
  conversationId: string,
): Promise<void> {
  const job: TranscriptJob = { tenantId, conversationId };
  await deps.infra.queue.add(TRANSCRIPT_QUEUE, job, {
    jobId: `transcript-ended:${conversationId}`,
    delayMs: ENDED_GRACE_MS + 60_000,
    attempts: 10,
    backoff: { type: "exponential", delayMs: 60_000 },
  });
}

/**
 * Queues the removal of an erased conversation from the archive (when the archive could not be
 * reached at erasure): the job finds the conversation gone from Postgres and removes the copy.
 */
export async function enqueueTranscriptErase(
  deps: CoreDeps,
  tenantId: string,
  conversationId: string,
): Promise<void> {
  const job: TranscriptJob = { tenantId, conversationId };
  await deps.infra.queue.add(TRANSCRIPT_QUEUE, job, {
    jobId: `transcript-erase:${conversationId}`,
    attempts: 100,
    backoff: { type: "fixed", delayMs: 60_000 },
  });
}

/** Runs one transcript job (the runtime's handler of {@link TRANSCRIPT_QUEUE}). */
export async function runTranscriptJob(deps: CoreDeps, data: TranscriptJob): Promise<void> {
  const archive = transcriptArchiveOf(deps);
  if (!archive) return;
  await syncConversation(deps, archive, data.tenantId, data.conversationId);
}

/**
 * Copies every conversation changed since the tenant's mark (kept in the archive) and moves the
 * mark, for each tenant: the durable path behind the jobs (a step whose job was never queued) and
 * the path of changes made outside turns (inbox assignment, CSAT, contact merges). Starting with no
 * mark copies everything Postgres has, a batch per pass. Returns how many conversations it copied.
 */
export async function sweepTranscripts(deps: CoreDeps, now = new Date()): Promise<{ conversations: number }> {
  const archive = transcriptArchiveOf(deps);
  if (!archive?.mirror) return { conversations: 0 };
  const settled = new Date(now.getTime() - SWEEP_SETTLE_MS);
  const tenants = await deps.db.system.tenant.findMany({ select: { id: true } });
  let conversations = 0;
  for (const { id: tenantId } of tenants) {
    const mark = await archive.mirror.mark(tenantId);
    const since = mark ?? { updatedAt: new Date(0), conversationId: "" };
    // Served by conversations (tenant_id, updated_at, id).
    const changed = await deps.db.forTenant(tenantId).$queryRaw<{ id: string; updated_at: Date }[]>`
      SELECT id, updated_at FROM conversations
      WHERE tenant_id = ${tenantId} AND (updated_at, id) > (${since.updatedAt}, ${since.conversationId})
        AND updated_at < ${settled}
      ORDER BY updated_at, id
      LIMIT ${SWEEP_BATCH}`;
    for (const row of changed) {
      await syncConversation(deps, archive, tenantId, row.id);
      conversations += 1;
    }
    const last = changed.at(-1);
    if (last)
      await archive.mirror.setMark(tenantId, {
        updatedAt: new Date(last.updated_at),
        conversationId: last.id,
      });
  }
  return { conversations };
}
