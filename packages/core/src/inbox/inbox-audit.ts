import { recordAudit } from "../audit";
import type { ServiceContext } from "../context";
import { tenantDb } from "../context";

/** The inbox actions written to the audit log (`conversation.<action>`). */
export type InboxAuditAction = "takeover" | "claim" | "assign" | "transfer" | "handback" | "close" | "note";

/**
 * Writes one audit row for an inbox action on a conversation (internal). `after` holds ids and
 * settings only (member ids, queue, priority, node id, note id): never message, note or reason text
 * nor anything about the visitor, since an erased contact must leave no personal data in the
 * append-only log. The log shows the conversation by its bot and start (see target-labels).
 */
export async function auditInboxAction(
  ctx: ServiceContext,
  action: InboxAuditAction,
  conversationId: string,
  after?: Record<string, string | number | boolean | null>,
): Promise<void> {
  await recordAudit(tenantDb(ctx), ctx, {
    action: `conversation.${action}`,
    targetType: "conversation",
    targetId: conversationId,
    ...(after === undefined ? {} : { after }),
  });
}
