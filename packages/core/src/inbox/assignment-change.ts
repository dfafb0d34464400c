import type { ConversationAssignment, ConversationStatus, ConversationStreamEvent } from "@parley/contract";
import type { Prisma, TenantClient } from "@parley/db";
import { recordAudit } from "../audit";
import { nowOf, type ServiceContext, tenantDb } from "../context";
import { notFound } from "../errors";
import { newId } from "../internal/ids";
import type { InboxAuditAction } from "./inbox-audit";

/** A conversation's inbox columns, read under its row lock (internal). */
export interface LockedInboxRow {
  id: string;
  botId: string;
  status: ConversationStatus;
  channel: string | null;
  assignedUserId: string | null;
  handoffQueue: string | null;
}

/** The event types of an assignment change made in the inbox (outside a turn). */
export type AssignmentEventType = Extract<
  ConversationStreamEvent["type"],
  "conversation.assigned" | "conversation.unassigned" | "conversation.transferred"
>;

/** What an inbox action changes on a locked conversation row (internal). */
export interface AssignmentChange {
  /** The stream event; null when the holder and the queue stay as they are (nothing to report). */
  event: AssignmentEventType | null;
  /** The columns to write; `assignedUserId` and `handoffQueue` absent keep their values. */
  set: {
    assignedUserId?: string | null;
    handoffQueue?: string | null;
    handoffReason?: string;
  };
  /** The audit entry written in the same transaction (ids and settings only, see auditInboxAction). */
  audit?: { action: InboxAuditAction; after: Record<string, string | number | boolean | null> };
}

/** What {@link changeAssignment} did: the row before, and the change written (null: none). */
export interface AssignmentOutcome {
  before: LockedInboxRow;
  change: AssignmentChange | null;
}

interface RawRow {
  id: string;
  bot_id: string;
  status: ConversationStatus;
  channel: string | null;
  assigned_user_id: string | null;
  handoff_queue: string | null;
}

/**
 * Changes who has a conversation in ONE transaction: locks the conversation row, lets `decide` look
 * at it (throw a ServiceError to refuse; return null to write nothing), writes the change, its
 * `conversation.events.v1` event to the outbox and its audit entry (internal). The row lock is what
 * every writer of a conversation's events takes first, so the event takes its place in the
 * conversation's order (see docs/events.md). `decide` must not query the database (on the embedded
 * database another connection would wait for this transaction).
 */
export async function changeAssignment(
  ctx: ServiceContext,
  conversationId: string,
  decide: (row: LockedInboxRow) => AssignmentChange | null,
): Promise<AssignmentOutcome> {
  const now = nowOf(ctx.deps);
  return tenantDb(ctx).$transaction(async (tx) => {
    const rows = await tx.$queryRaw<RawRow[]>`
      SELECT id, bot_id, status::text AS status, channel::text AS channel, assigned_user_id, handoff_queue
      FROM conversations WHERE tenant_id = ${ctx.tenantId} AND id = ${conversationId} FOR UPDATE`;
    const raw = rows[0];
    if (!raw) throw notFound("conversation", conversationId);
    const before: LockedInboxRow = {
      id: raw.id,
      botId: raw.bot_id,
      status: raw.status,
      channel: raw.channel,
      assignedUserId: raw.assigned_user_id,
      handoffQueue: raw.handoff_queue,
    };
    const change = decide(before);
    if (!change) return { before, change: null };
    const { set } = change;
    const agentId = set.assignedUserId === undefined ? before.assignedUserId : set.assignedUserId;
    await tx.conversation.updateMany({
      where: { id: conversationId },
      data: {
        ...(set.assignedUserId === undefined
          ? {}
          : { assignedUserId: set.assignedUserId, assignedAt: set.assignedUserId ? now : null }),
        ...(set.handoffQueue === undefined ? {} : { handoffQueue: set.handoffQueue }),
        ...(set.handoffReason === undefined ? {} : { handoffReason: set.handoffReason }),
      },
    });
    if (change.event) {
      await appendAssignmentEvent(tx, ctx, before, change.event, {
        agentId,
        previousAgentId: before.assignedUserId,
        queue: set.handoffQueue === undefined ? before.handoffQueue : set.handoffQueue,
        previousQueue: before.handoffQueue,
        byUserId: ctx.actor.type === "user" ? ctx.actor.userId : null,
      });
    }
    if (change.audit) {
      await recordAudit(tx, ctx, {
        action: `conversation.${change.audit.action}`,
        targetType: "conversation",
        targetId: conversationId,
        after: change.audit.after,
      });
    }
    return { before, change };
  });
}

/** Appends one assignment event of `row`'s conversation to the outbox, through `tx` (internal). */
async function appendAssignmentEvent(
  tx: TenantClient,
  ctx: ServiceContext,
  row: LockedInboxRow,
  type: AssignmentEventType,
  assignment: ConversationAssignment,
): Promise<void> {
  const payload: ConversationStreamEvent = {
    id: newId(),
    version: 1,
    tenantId: ctx.tenantId,
    conversationId: row.id,
    botId: row.botId,
    occurredAt: nowOf(ctx.deps).toISOString(),
    type,
    data: { status: row.status, previousStatus: row.status, channel: row.channel, assignment },
  };
  await tx.outboxEvent.createMany({
    data: [
      {
        eventId: payload.id,
        topic: "conversation.events.v1",
        tenantId: ctx.tenantId,
        key: row.id,
        payload: payload as Prisma.InputJsonObject,
      },
    ],
  });
}
