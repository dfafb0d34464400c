import { changeMemberRoleInputSchema, type MemberView } from "@parley/contract";
import type { Membership } from "@parley/db";
import { type Role, roleSchema } from "../access/roles";
import { recordAudit } from "../audit";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { isUuid } from "../internal/ids";
import { assertCanAssign } from "./role-guard";

const rank = roleSchema.options;

const toView = (row: Membership & { user: { id: string; email: string; name: string } }): MemberView => ({
  userId: row.user.id,
  email: row.user.email,
  name: row.user.name,
  role: row.role,
  joinedAt: row.createdAt.toISOString(),
  ...(row.role === "agent" ? { agentBotIds: row.agentBotIds ?? [] } : {}),
});

/** The workspace's members, owners first (then by joining date). Needs `members:read`. */
export async function listMembers(ctx: ServiceContext): Promise<MemberView[]> {
  authorize(ctx, "members:read");
  const rows = await tenantDb(ctx).membership.findMany({
    include: { user: { select: { id: true, email: true, name: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map(toView).sort((a, b) => rank.indexOf(a.role) - rank.indexOf(b.role));
}

async function membershipOf(ctx: ServiceContext, userId: string) {
  const row = isUuid(userId)
    ? await tenantDb(ctx).membership.findFirst({
        where: { userId },
        include: { user: { select: { id: true, email: true, name: true } } },
      })
    : null;
  if (!row) throw notFound("member", userId);
  return row;
}

async function assertNotLastOwner(ctx: ServiceContext, role: Role): Promise<void> {
  if (role !== "owner") return;
  const owners = await tenantDb(ctx).membership.count({ where: { role: "owner" } });
  if (owners <= 1) throw new ServiceError("conflict", "last-owner", "A workspace needs at least one owner.");
}

/**
 * Changes a member's role. Needs `members:manage`, and the actor must be allowed to give both the
 * old and the new role (an admin neither makes nor unmakes owners); the last owner stays owner.
 * @throws ServiceError `forbidden`, `member-not-found`, `last-owner`, `invalid-input`
 */
export async function changeMemberRole(
  ctx: ServiceContext,
  userId: string,
  input: { role: Role },
): Promise<MemberView> {
  authorize(ctx, "members:manage");
  const { role } = parseInput(changeMemberRoleInputSchema, input, "role change");
  const row = await membershipOf(ctx, userId);
  assertCanAssign(ctx, row.role);
  assertCanAssign(ctx, role);
  if (row.role === role) return toView(row);
  await assertNotLastOwner(ctx, row.role);
  const updated = await tenantDb(ctx).$transaction(async (tx) => {
    const membership = await tx.membership.update({
      where: { id: row.id },
      data: { role },
      include: { user: { select: { id: true, email: true, name: true } } },
    });
    await recordAudit(tx, ctx, {
      action: "member.change_role",
      targetType: "user",
      targetId: userId,
      before: { role: row.role },
      after: { role },
    });
    return membership;
  });
  return toView(updated);
}

/**
 * Removes a member (never the last owner). Needs `members:manage` and the right to give the
 * member's role.
 * @throws ServiceError `forbidden`, `member-not-found`, `last-owner`
 */
export async function removeMember(ctx: ServiceContext, userId: string): Promise<void> {
  authorize(ctx, "members:manage");
  const row = await membershipOf(ctx, userId);
  assertCanAssign(ctx, row.role);
  await assertNotLastOwner(ctx, row.role);
  await tenantDb(ctx).$transaction(async (tx) => {
    await tx.membership.delete({ where: { id: row.id } });
    await recordAudit(tx, ctx, {
      action: "member.remove",
      targetType: "user",
      targetId: userId,
      before: { role: row.role },
    });
  });
}
