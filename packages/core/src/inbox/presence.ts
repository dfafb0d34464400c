import { setPresenceRequestSchema } from "@parley/contract";
import type { z } from "zod";
import { rolePermissions } from "../access/roles";
import { authorize, nowOf, type ServiceContext, tenantDb } from "../context";
import { parseInput } from "../errors";

/** An agent who stops sending heartbeats is offline after this long. */
export const PRESENCE_TTL_MS = 60_000;
const presenceKey = (tenantId: string, userId: string) => `presence:${tenantId}:${userId}`;

/**
 * Records the calling member as `online` or `away` in the inbox (kept in the cache, Redis in
 * cluster mode, for {@link PRESENCE_TTL_MS}: the studio repeats it while the inbox is open). Needs
 * `conversations:agent`.
 */
export async function setPresence(
  ctx: ServiceContext,
  input: z.input<typeof setPresenceRequestSchema>,
): Promise<void> {
  authorize(ctx, "conversations:agent");
  const data = parseInput(setPresenceRequestSchema, input, "presence");
  if (ctx.actor.type !== "user") return;
  await ctx.deps.infra.cache.set(
    presenceKey(ctx.tenantId, ctx.actor.userId),
    { status: data.status, at: nowOf(ctx.deps).toISOString() },
    { ttlMs: PRESENCE_TTL_MS },
  );
}

const AGENT_ROLES = (Object.keys(rolePermissions) as (keyof typeof rolePermissions)[]).filter((role) =>
  rolePermissions[role].has("conversations:agent"),
);

/**
 * The members who can work the inbox, with their presence (`offline` without a recent heartbeat)
 * and how many handed-off conversations each holds. Needs `conversations:agent`.
 */
export async function listAgents(ctx: ServiceContext): Promise<{
  items: { userId: string; label: string; status: "online" | "away" | "offline"; assigned: number }[];
}> {
  authorize(ctx, "conversations:agent");
  const db = tenantDb(ctx);
  const members = await db.membership.findMany({
    where: { role: { in: AGENT_ROLES } },
    include: { user: { select: { id: true, name: true, email: true } } },
    orderBy: { createdAt: "asc" },
  });
  const counts = await db.conversation.groupBy({
    by: ["assignedUserId"],
    where: { status: "handoff", assignedUserId: { not: null } },
    _count: { _all: true },
  });
  const assigned = new Map(counts.map((row) => [row.assignedUserId, row._count._all]));
  const items = await Promise.all(
    members.map(async (member) => {
      const presence = await ctx.deps.infra.cache
        .get<{ status: "online" | "away" }>(presenceKey(ctx.tenantId, member.userId))
        .catch(() => undefined);
      return {
        userId: member.userId,
        label: member.user.name || member.user.email,
        status: presence?.status ?? ("offline" as const),
        assigned: assigned.get(member.userId) ?? 0,
      };
    }),
  );
  return { items };
}
