import type { ConversationState } from "@parley/contract";
import { Prisma } from "../../generated/prisma/client";
import type { TranscriptQuery } from "../transcript-store";
import { isUuid } from "../uuid";

/** The SQL condition on `c` (conversations) that selects one state. */
function stateCondition(state: ConversationState): Prisma.Sql {
  switch (state) {
    case "active":
      return Prisma.sql`c.status = 'waiting'::conversation_status`;
    case "waiting":
      return Prisma.sql`c.status = 'handoff'::conversation_status AND c.assigned_user_id IS NULL`;
    case "handoff":
      return Prisma.sql`c.status = 'handoff'::conversation_status AND c.assigned_user_id IS NOT NULL`;
    case "ended":
      return Prisma.sql`c.status = 'ended'::conversation_status`;
  }
}

/** `text` as a LIKE pattern matching it anywhere, its wildcards escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * The WHERE clause (over `conversations c`) of a bot's conversation list with every filter of
 * {@link TranscriptQuery} except paging and the full-text search `q` (see conversation-search.ts).
 * The tenant is in the clause as well as in row-level security so the indexes leading with it apply.
 */
export function conversationWhere(
  tenantId: string,
  botId: string,
  filters: TranscriptQuery["filters"],
): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`c.tenant_id = ${tenantId}`, Prisma.sql`c.bot_id = ${botId}`];
  if (filters.status) conditions.push(Prisma.sql`c.status = ${filters.status}::conversation_status`);
  if (filters.state) conditions.push(stateCondition(filters.state));
  if (filters.channel) conditions.push(Prisma.sql`c.channel = ${filters.channel}::channel`);
  if (filters.contactId) {
    // Not a UUID: it names no contact (and must not reach a uuid comparison).
    conditions.push(
      isUuid(filters.contactId) ? Prisma.sql`c.contact_id = ${filters.contactId}` : Prisma.sql`FALSE`,
    );
  }
  if (filters.contact) {
    const pattern = containsPattern(filters.contact);
    conditions.push(Prisma.sql`c.contact_id IN (
      SELECT ct.id FROM contacts ct WHERE ct.tenant_id = ${tenantId}
        AND (ct.display_name ILIKE ${pattern} OR ct.email ILIKE ${pattern} OR ct.phone ILIKE ${pattern}))`);
  }
  if (filters.flowVersion !== undefined) {
    conditions.push(Prisma.sql`c.flow_version_id IN (
      SELECT fv.id FROM flow_versions fv
      WHERE fv.tenant_id = ${tenantId} AND fv.bot_id = ${botId} AND fv.version = ${filters.flowVersion})`);
  }
  if (filters.variant) conditions.push(Prisma.sql`c.experiment_variant = ${filters.variant}`);
  if (filters.since) conditions.push(Prisma.sql`c.started_at >= ${new Date(filters.since)}`);
  if (filters.until) conditions.push(Prisma.sql`c.started_at < ${new Date(filters.until)}`);
  if (filters.lastActivitySince) {
    conditions.push(Prisma.sql`c.last_activity_at >= ${new Date(filters.lastActivitySince)}`);
  }
  if (filters.lastActivityUntil) {
    conditions.push(Prisma.sql`c.last_activity_at < ${new Date(filters.lastActivityUntil)}`);
  }
  return Prisma.join(conditions, " AND ");
}
