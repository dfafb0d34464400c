import type { SystemClient } from "../../client/open-database";
import { Prisma } from "../../generated/prisma/client";
import type { TenantClient } from "../../tenancy/tenant-client";
import { type ConversationRow, selectConversations } from "./conversation-rows";

/**
 * How many of the newest candidate conversations are checked message by message before the search
 * asks the GIN index instead. A word in more than about 1 of WINDOW conversations is found in this
 * window; a rarer word has few index entries, so the index answers it fast.
 */
export const SEARCH_WINDOW = 500;

/** One page request of a conversation query. */
export interface PageRequest {
  tenantId: string;
  /** The cross-tenant client, for the one statistics-free index lookup (see conversationsMentioning). */
  system: SystemClient;
  /** Filters over `conversations c` (see conversationWhere), without paging. */
  where: Prisma.Sql;
  /** Full-text search words (websearch syntax), or none. */
  q?: string | undefined;
  /** Only conversations older than this id (the previous page's last). */
  cursor?: string | undefined;
  limit: number;
  /** More columns to select. */
  extra?: Prisma.Sql;
}

const olderThan = (where: Prisma.Sql, cursor: string | undefined): Prisma.Sql =>
  cursor ? Prisma.sql`${where} AND c.id < ${cursor}` : where;

/**
 * A page of conversations, newest first, optionally only those with a message matching `q`
 * (Postgres full-text search over `messages.search_vector`, the GIN-indexed generated column of
 * migration message_search). Plans that do not depend on table statistics:
 * 1. the newest SEARCH_WINDOW candidates are checked through the (tenant, conversation, seq) index,
 *    which is fast when the word is common (the page fills early);
 * 2. when the window was full and the page is not, the GIN index lists the conversations with a
 *    matching message among the older ones, which is fast when the word is rare.
 * Neither reads all of a common word's index entries, nor every message of a rare word's bot.
 */
export async function selectConversationPage<Row extends ConversationRow = ConversationRow>(
  db: TenantClient,
  request: PageRequest,
): Promise<Row[]> {
  const { tenantId, where, q, cursor, limit } = request;
  const extra = request.extra ?? Prisma.empty;
  if (!q) return selectConversations<Row>(db, olderThan(where, cursor), limit, extra);
  const query = Prisma.sql`websearch_to_tsquery('simple', ${q})`;
  const windowed = await db.$queryRaw<{ last: string | null; size: bigint | number }[]>`
    SELECT min(w.id) AS last, count(*) AS size
    FROM (SELECT c.id FROM conversations c WHERE ${olderThan(where, cursor)} ORDER BY c.id DESC LIMIT ${SEARCH_WINDOW}) w`;
  const window = windowed[0];
  const windowSize = Number(window?.size ?? 0);
  if (windowSize === 0) return [];
  const inWindow = Prisma.sql`${olderThan(where, cursor)} AND c.id >= ${window!.last}
    AND EXISTS (SELECT 1 FROM messages m
      WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id AND m.search_vector @@ ${query})`;
  const found = await selectConversations<Row>(db, inWindow, limit, extra);
  if (found.length >= limit || windowSize < SEARCH_WINDOW) return found;
  const ids = await conversationsMentioning(request.system, tenantId, q);
  if (ids.length === 0) return found;
  const older = Prisma.sql`${where} AND c.id < ${window!.last} AND c.id = ANY(${ids}::text[])`;
  return [...found, ...(await selectConversations<Row>(db, older, limit - found.length, extra))];
}

/**
 * The tenant's conversations with a message matching `q`, from the GIN index. Asked through the
 * system client with the tenant as an explicit condition outside an OFFSET 0 fence: under the
 * tenant role, row-level security adds `tenant_id = current_setting(...)` to the scan itself and,
 * without fresh statistics, Postgres would read the tenant's every message through the tenant
 * index instead; here the GIN index is the only one that can serve the scan.
 */
async function conversationsMentioning(system: SystemClient, tenantId: string, q: string): Promise<string[]> {
  const rows = await system.$queryRaw<{ id: string }[]>`
    SELECT DISTINCT hit.conversation_id AS id FROM (
      SELECT m.conversation_id, m.tenant_id FROM messages m
      WHERE m.search_vector @@ websearch_to_tsquery('simple', ${q}) OFFSET 0
    ) hit WHERE hit.tenant_id = ${tenantId}`;
  return rows.map((row) => row.id);
}
