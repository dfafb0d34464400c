import { type ServiceContext, tenantDb } from "../context";
import { notFound } from "../errors";

/**
 * The bots whose conversations the actor may see, or `null` for "every bot of the tenant". Only
 * `agent` members are limited (to their membership's `agentBotIds`); read on every call, so
 * removing a bot from an agent takes effect on the agent's next request or stream check.
 */
export async function visibleBotIds(ctx: ServiceContext): Promise<ReadonlySet<string> | null> {
  const actor = ctx.actor;
  if (actor.type === "widget") return new Set([actor.botId]);
  if (actor.type !== "user" || actor.role !== "agent") return null;
  const membership = await tenantDb(ctx).membership.findFirst({
    where: { userId: actor.userId },
    select: { role: true, agentBotIds: true },
  });
  // A member removed (or moved to another role) since the session started sees nothing here.
  if (membership?.role !== "agent") return new Set();
  return new Set(membership.agentBotIds ?? []);
}

/** Throws `conversation-not-found` unless the actor may see conversations of `botId` (see {@link visibleBotIds}). */
export async function assertBotVisible(
  ctx: ServiceContext,
  botId: string,
  conversationId: string,
): Promise<void> {
  const visible = await visibleBotIds(ctx);
  if (visible && !visible.has(botId)) throw notFound("conversation", conversationId);
}
