import { agentBotAccessSchema, type MemberView } from "@parley/contract";
import type { z } from "zod";
import { recordAudit } from "../audit";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { isUuid } from "../internal/ids";

/**
 * Sets the bots an `agent` member may work on (their inbox and conversations); every other bot's
 * conversations disappear from their inbox and open streams within seconds. Needs `members:manage`.
 * @throws ServiceError `member-not-found`, `not-an-agent` (other roles see every bot),
 *   `bot-not-found` naming the unknown bot id
 */
export async function setAgentBotAccess(
  ctx: ServiceContext,
  userId: string,
  input: z.input<typeof agentBotAccessSchema>,
): Promise<MemberView> {
  authorize(ctx, "members:manage");
  const data = parseInput(agentBotAccessSchema, input, "bot access");
  const db = tenantDb(ctx);
  const membership = isUuid(userId)
    ? await db.membership.findFirst({
        where: { userId },
        include: { user: { select: { id: true, email: true, name: true } } },
      })
    : null;
  if (!membership) throw notFound("member", userId);
  if (membership.role !== "agent") {
    throw new ServiceError(
      "conflict",
      "not-an-agent",
      `member ${membership.user.email} is ${membership.role}: only agent members are limited to some bots`,
    );
  }
  const botIds = [...new Set(data.botIds)];
  const known = await db.bot.findMany({ where: { id: { in: botIds.filter(isUuid) } }, select: { id: true } });
  const knownIds = new Set(known.map((bot) => bot.id));
  const unknown = botIds.findIndex((id) => !knownIds.has(id));
  if (unknown >= 0) {
    throw new ServiceError(
      "invalid",
      "bot-not-found",
      `bot ${botIds[unknown]} does not exist in this workspace`,
      {
        errors: [{ path: `botIds.${unknown}`, message: "no such bot" }],
      },
    );
  }
  await db.membership.updateMany({ where: { userId }, data: { agentBotIds: botIds } });
  await recordAudit(db, ctx, {
    action: "member.bots_changed",
    targetType: "member",
    targetId: userId,
    before: { agentBotIds: membership.agentBotIds ?? [] },
    after: { agentBotIds: botIds },
  });
  return {
    userId: membership.user.id,
    email: membership.user.email,
    name: membership.user.name,
    role: membership.role,
    joinedAt: membership.createdAt.toISOString(),
    agentBotIds: botIds,
  };
}
