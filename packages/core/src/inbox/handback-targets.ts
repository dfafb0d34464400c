import { authorize, type ServiceContext, tenantDb } from "../context";
import { notFound } from "../errors";
import { readInboxRow } from "./inbox-state";

/** A node of the conversation's flow the bot can resume at. */
export interface HandBackTarget {
  nodeId: string;
  label: string;
  kind: string;
}

/**
 * The nodes of the conversation's flow version a hand back may resume at (everything but the
 * start node), in the flow's order, for the inbox's "hand back at" picker. Needs `conversations:agent`.
 */
export async function handBackTargets(
  ctx: ServiceContext,
  conversationId: string,
): Promise<{ items: HandBackTarget[] }> {
  authorize(ctx, "conversations:agent");
  await readInboxRow(ctx, conversationId);
  const db = tenantDb(ctx);
  const conversation = await db.conversation.findFirst({
    where: { id: conversationId },
    select: { flowVersion: { select: { document: true } } },
  });
  if (!conversation) throw notFound("conversation", conversationId);
  const document = conversation.flowVersion.document as {
    nodes?: { id: string; kind: string; label?: string }[];
  };
  return {
    items: (document.nodes ?? [])
      .filter((node) => node.kind !== "start")
      .map((node) => ({ nodeId: node.id, label: node.label || node.id, kind: node.kind })),
  };
}
