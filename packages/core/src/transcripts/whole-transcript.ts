import type { TranscriptEntry } from "@parley/contract";
import type { CoreDeps } from "../context";
import { ServiceError } from "../errors";
import { readTranscripts, transcriptArchiveOf } from "./transcript-stores";

type MessageRow = { seq: number; author: TranscriptEntry["author"]; createdAt: Date; payload: unknown };

const entryOf = (message: MessageRow): TranscriptEntry => ({
  seq: message.seq,
  author: message.author,
  createdAt: message.createdAt.toISOString(),
  message: message.payload as TranscriptEntry["message"],
});

/** Postgres's messages of a conversation after `afterSeq`, in seq order. */
async function postgresEntries(
  deps: CoreDeps,
  tenantId: string,
  conversationId: string,
  afterSeq: number,
): Promise<TranscriptEntry[]> {
  const rows = await deps.db.forTenant(tenantId).message.findMany({
    where: { conversationId, seq: { gt: afterSeq } },
    orderBy: { seq: "asc" },
    select: { seq: true, author: true, createdAt: true, payload: true },
  });
  return rows.map(entryOf);
}

/**
 * Every message of a conversation in seq order: what the transcript endpoint, the conversation
 * browser and a contact's export show (internal). From the archive (MongoDB) when configured, plus
 * the messages Postgres has past the last one archived, so a transcript is never behind the turn
 * that just committed (the copy follows asynchronously); older messages may live only in the
 * archive (Postgres keeps the recent ones, see hot-history). While the archive is unreachable,
 * Postgres answers when it still has the conversation from its first message, and otherwise the
 * read fails as `unavailable` (a partial transcript is never shown as whole).
 */
export async function wholeTranscript(
  deps: CoreDeps,
  tenantId: string,
  conversationId: string,
): Promise<TranscriptEntry[]> {
  const { value: entries, store } = await readTranscripts(deps, async (source) => {
    const read: TranscriptEntry[] = [];
    let afterSeq = 0;
    for (;;) {
      const page = await source.readTranscript(tenantId, conversationId, { afterSeq });
      read.push(...page.entries);
      if (page.nextSeq === null) return read;
      afterSeq = page.nextSeq;
    }
  });
  if (store.kind === "postgres") {
    const first = entries[0];
    if (first && first.seq > 1 && transcriptArchiveOf(deps)) {
      throw new ServiceError(
        "unavailable",
        "transcript-archive-unavailable",
        "the transcript archive (MongoDB) is unreachable and holds this conversation's older messages; retry in a moment",
        { retryAfterSeconds: 5 },
      );
    }
    return entries;
  }
  entries.push(...(await postgresEntries(deps, tenantId, conversationId, entries.at(-1)?.seq ?? 0)));
  return entries;
}

/**
 * The archive's messages of a conversation with `afterSeq < seq < beforeSeq` (internal): for a reader
 * of Postgres (a live event stream replaying after an old event id) that finds Postgres starts
 * later, because older messages were pruned once archived. Empty without an archive.
 */
export async function archivedEntries(
  deps: CoreDeps,
  tenantId: string,
  conversationId: string,
  range: { afterSeq: number; beforeSeq: number },
): Promise<TranscriptEntry[]> {
  const archive = transcriptArchiveOf(deps);
  if (!archive) return [];
  const read: TranscriptEntry[] = [];
  let afterSeq = range.afterSeq;
  for (;;) {
    const page = await archive.readTranscript(tenantId, conversationId, { afterSeq });
    const wanted = page.entries.filter((entry) => entry.seq < range.beforeSeq);
    read.push(...wanted);
    if (page.nextSeq === null || wanted.length < page.entries.length) return read;
    afterSeq = page.nextSeq;
  }
}
