import type { HandoffPriority, InboxState } from "@parley/contract";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { notFound } from "../errors";
import { isUuid } from "../internal/ids";
import { assertBotVisible } from "./bot-access";

/** The columns {@link inboxStateOf} reads (internal). */
export const inboxStateSelect = {
  id: true,
  botId: true,
  status: true,
  lastSeq: true,
  assignedUserId: true,
  assignedAt: true,
  handoffQueue: true,
  handoffPriority: true,
  handoffReason: true,
  handoffAt: true,
  csatScore: true,
  csatComment: true,
  csatAt: true,
} as const;

/** A conversation row's inbox columns (internal). */
export interface InboxRow {
  id: string;
  botId: string;
  status: InboxState["status"];
  lastSeq: number;
  assignedUserId: string | null;
  assignedAt: Date | null;
  handoffQueue: string | null;
  handoffPriority: string | null;
  handoffReason: string | null;
  handoffAt: Date | null;
  csatScore: number | null;
  csatComment: string | null;
  csatAt: Date | null;
}

const PRIORITIES: ReadonlySet<string> = new Set(["low", "normal", "high", "urgent"]);

/** The wire view of a row's inbox columns (internal). */
export function inboxStateOf(row: InboxRow): InboxState {
  return {
    conversationId: row.id,
    status: row.status,
    assignedUserId: row.assignedUserId,
    assignedAt: row.assignedAt?.toISOString() ?? null,
    queue: row.handoffQueue,
    priority:
      row.handoffPriority && PRIORITIES.has(row.handoffPriority)
        ? (row.handoffPriority as HandoffPriority)
        : null,
    reason: row.handoffReason,
    handoffAt: row.handoffAt?.toISOString() ?? null,
    csat:
      row.csatScore === null
        ? null
        : { score: row.csatScore, comment: row.csatComment, at: row.csatAt?.toISOString() ?? "" },
  };
}

/**
 * Reads a conversation's inbox columns for an actor who may see it, or throws
 * `conversation-not-found` (internal).
 */
export async function readInboxRow(ctx: ServiceContext, conversationId: string): Promise<InboxRow> {
  const row = isUuid(conversationId)
    ? await tenantDb(ctx).conversation.findFirst({ where: { id: conversationId }, select: inboxStateSelect })
    : null;
  if (!row) throw notFound("conversation", conversationId);
  await assertBotVisible(ctx, row.botId, conversationId);
  return row;
}

/**
 * Who has a conversation and why: status, assignee, queue, priority, reason, CSAT. Needs
 * `conversations:read` (agents: only conversations of their bots).
 */
export async function getInboxState(ctx: ServiceContext, conversationId: string): Promise<InboxState> {
  authorize(ctx, "conversations:read");
  return inboxStateOf(await readInboxRow(ctx, conversationId));
}
