import type { ConversationSummary } from "@parley/contract";
import { Prisma } from "../../generated/prisma/client";
import type { TenantClient } from "../../tenancy/tenant-client";
import { stateOf } from "../conversation-state";

/** One conversation row as the list queries select it (snake_case, straight from SQL). */
export interface ConversationRow {
  id: string;
  bot_id: string;
  status: string;
  channel: string;
  flow_version_id: string;
  version: number | null;
  experiment_variant: string | null;
  contact_id: string | null;
  display_name: string | null;
  turn_count: number;
  started_at: Date | string;
  last_activity_at: Date | string;
  ended_at: Date | string | null;
  assigned_user_id: string | null;
  csat_score: number | null;
}

/** The columns of {@link ConversationRow}, over `conversations c` joined as {@link conversationJoins}. */
export const conversationColumns = Prisma.sql`c.id, c.bot_id, c.status::text AS status, c.channel::text AS channel,
  c.flow_version_id, fv.version, c.experiment_variant, c.contact_id, ct.display_name, c.turn_count,
  c.started_at, c.last_activity_at, c.ended_at, c.assigned_user_id, c.csat_score`;

/** The contact and flow version joined to `conversations c` for {@link conversationColumns}. */
export const conversationJoins = Prisma.sql`
  LEFT JOIN contacts ct ON ct.tenant_id = c.tenant_id AND ct.id = c.contact_id
  LEFT JOIN flow_versions fv ON fv.tenant_id = c.tenant_id AND fv.id = c.flow_version_id`;

const iso = (value: Date | string): string => new Date(value).toISOString();

/** A list row as the contract describes it. */
export function toSummary(row: ConversationRow): ConversationSummary {
  return {
    conversationId: row.id,
    status: row.status as ConversationSummary["status"],
    state: stateOf(row.status, row.assigned_user_id),
    channel: row.channel,
    flowVersionId: row.flow_version_id,
    flowVersion: row.version === null ? null : Number(row.version),
    experimentVariant: row.experiment_variant,
    contactId: row.contact_id,
    contactName: row.display_name,
    turnCount: Number(row.turn_count),
    startedAt: iso(row.started_at),
    lastActivityAt: iso(row.last_activity_at),
    endedAt: row.ended_at === null ? null : iso(row.ended_at),
    csatScore: row.csat_score === null ? null : Number(row.csat_score),
  };
}

/**
 * Conversations matching `where` (over `c`), newest first, at most `limit`, with `extra` columns
 * (internal).
 */
export function selectConversations<Row extends ConversationRow = ConversationRow>(
  db: TenantClient,
  where: Prisma.Sql,
  limit: number,
  extra: Prisma.Sql = Prisma.empty,
): Promise<Row[]> {
  return db.$queryRaw<Row[]>`
    SELECT ${conversationColumns} ${extra}
    FROM conversations c ${conversationJoins}
    WHERE ${where}
    ORDER BY c.id DESC
    LIMIT ${limit}`;
}
