import { canAssignRole, type Role, recordAudit, type ServiceContext, ServiceError } from "@parley/core";
import { generateToken, hashToken } from "@parley/infra";
import type { Mailer } from "../mail/mailer";

/** How long an invitation link works. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** A member as the console lists them. */
export interface MemberView {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
}

/** A pending invitation. */
export interface InvitationView {
  id: string;
  email: string;
  role: Role;
  expiresAt: string;
  createdAt: string;
}

const actorRole = (ctx: ServiceContext): Role => (ctx.actor.type === "user" ? ctx.actor.role : "viewer");

/** The tenant's members, owners first. */
export async function listMembers(ctx: ServiceContext): Promise<MemberView[]> {
  const rows = await ctx.deps.db.forTenant(ctx.tenantId).membership.findMany({
    include: { user: { select: { id: true, email: true, name: true } } },
    orderBy: { createdAt: "asc" },
  });
  const rank: Role[] = ["owner", "admin", "editor", "analyst", "viewer"];
  return rows
    .map((row) => ({
      userId: row.user.id,
      email: row.user.email,
      name: row.user.name,
      role: row.role,
      joinedAt: row.createdAt.toISOString(),
    }))
    .sort((a, b) => rank.indexOf(a.role) - rank.indexOf(b.role));
}

/** Pending (not accepted, revoked or expired) invitations. */
export async function listInvitations(ctx: ServiceContext, now: Date): Promise<InvitationView[]> {
  const rows = await ctx.deps.db.forTenant(ctx.tenantId).invitation.findMany({
    where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
  });
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    role: row.role,
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  }));
}

function assertCanAssign(ctx: ServiceContext, role: Role): void {
  if (!canAssignRole(actorRole(ctx), role)) {
    throw new ServiceError(
      "forbidden",
      "forbidden",
      `As ${actorRole(ctx)} you cannot give someone the ${role} role.`,
    );
  }
}

/** Invites someone by e-mail with a role; the link is e-mailed (the token stored only as a hash). */
export async function inviteMember(
  ctx: ServiceContext,
  mailer: Mailer,
  input: { email: string; role: Role; studioUrl: string; now: Date },
): Promise<InvitationView> {
  assertCanAssign(ctx, input.role);
  const email = input.email.toLowerCase();
  const db = ctx.deps.db.forTenant(ctx.tenantId);
  const existing = await db.membership.findFirst({ where: { user: { email } }, select: { id: true } });
  if (existing) throw new ServiceError("conflict", "already-member", `${email} is already a member.`);
  const token = generateToken("secret");
  const tenant = await db.tenant.findFirstOrThrow({ select: { name: true } });
  const invitation = await db.$transaction(async (tx) => {
    const row = await tx.invitation.create({
      data: {
        email,
        role: input.role,
        tokenHash: token.hash,
        invitedById: ctx.actor.type === "user" ? ctx.actor.userId : null,
        expiresAt: new Date(input.now.getTime() + INVITATION_TTL_MS),
      } as never,
    });
    await recordAudit(tx, ctx, {
      action: "member.invite",
      targetType: "invitation",
      targetId: row.id,
      after: { email, role: input.role },
    });
    return row;
  });
  const link = new URL(`/invitation?token=${encodeURIComponent(token.key)}`, input.studioUrl).toString();
  await mailer.send({
    to: email,
    subject: `You are invited to ${tenant.name} on Parley`,
    text: `${ctx.actor.label} invited you to join ${tenant.name} on Parley as ${input.role}.\n\nAccept within 7 days:\n${link}`,
  });
  return {
    id: invitation.id,
    email,
    role: invitation.role,
    expiresAt: invitation.expiresAt.toISOString(),
    createdAt: invitation.createdAt.toISOString(),
  };
}

/** Revokes a pending invitation. */
export async function revokeInvitation(ctx: ServiceContext, invitationId: string, now: Date): Promise<void> {
  const db = ctx.deps.db.forTenant(ctx.tenantId);
  const row = await db.invitation.findFirst({ where: { id: invitationId } });
  if (!row)
    throw new ServiceError("not_found", "invitation-not-found", `invitation ${invitationId} was not found`);
  assertCanAssign(ctx, row.role);
  await db.$transaction(async (tx) => {
    await tx.invitation.update({ where: { id: invitationId }, data: { revokedAt: now } });
    await recordAudit(tx, ctx, {
      action: "member.revoke_invitation",
      targetType: "invitation",
      targetId: invitationId,
      before: { email: row.email, role: row.role },
    });
  });
}

async function membershipOf(ctx: ServiceContext, userId: string) {
  const row = await ctx.deps.db.forTenant(ctx.tenantId).membership.findFirst({ where: { userId } });
  if (!row) throw new ServiceError("not_found", "member-not-found", `member ${userId} was not found`);
  return row;
}

async function assertNotLastOwner(ctx: ServiceContext, role: Role): Promise<void> {
  if (role !== "owner") return;
  const owners = await ctx.deps.db.forTenant(ctx.tenantId).membership.count({ where: { role: "owner" } });
  if (owners <= 1) throw new ServiceError("conflict", "last-owner", "A workspace needs at least one owner.");
}

/** Changes a member's role: the actor must be allowed to grant both the old and the new role. */
export async function changeMemberRole(ctx: ServiceContext, userId: string, role: Role): Promise<MemberView> {
  const row = await membershipOf(ctx, userId);
  assertCanAssign(ctx, row.role);
  assertCanAssign(ctx, role);
  if (row.role === role) return (await listMembers(ctx)).find((m) => m.userId === userId) as MemberView;
  await assertNotLastOwner(ctx, row.role);
  const db = ctx.deps.db.forTenant(ctx.tenantId);
  await db.$transaction(async (tx) => {
    await tx.membership.update({ where: { id: row.id }, data: { role } });
    await recordAudit(tx, ctx, {
      action: "member.change_role",
      targetType: "user",
      targetId: userId,
      before: { role: row.role },
      after: { role },
    });
  });
  return (await listMembers(ctx)).find((m) => m.userId === userId) as MemberView;
}

/** Removes a member (never the last owner). */
export async function removeMember(ctx: ServiceContext, userId: string): Promise<void> {
  const row = await membershipOf(ctx, userId);
  assertCanAssign(ctx, row.role);
  await assertNotLastOwner(ctx, row.role);
  const db = ctx.deps.db.forTenant(ctx.tenantId);
  await db.$transaction(async (tx) => {
    await tx.membership.delete({ where: { id: row.id } });
    await recordAudit(tx, ctx, {
      action: "member.remove",
      targetType: "user",
      targetId: userId,
      before: { role: row.role },
    });
  });
}

/** What an invitation link shows before it is accepted. */
export async function describeInvitation(
  ctx: { db: ServiceContext["deps"]["db"] },
  token: string,
  now: Date,
): Promise<{ tenantName: string; email: string; role: Role; userExists: boolean }> {
  const row = await ctx.db.system.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { tenant: true },
  });
  if (!row || row.acceptedAt || row.revokedAt || row.expiresAt <= now) {
    throw new ServiceError("invalid", "invitation-invalid", "This invitation is invalid, used or expired.");
  }
  const user = await ctx.db.system.user.findUnique({ where: { email: row.email }, select: { id: true } });
  return { tenantName: row.tenant.name, email: row.email, role: row.role, userExists: user !== null };
}

/**
 * Accepts an invitation for `userId` (whose e-mail must be the invited one): adds the membership
 * and marks the invitation used, in one transaction.
 */
export async function acceptInvitation(
  db: ServiceContext["deps"]["db"],
  input: { token: string; userId: string; now: Date },
): Promise<{ tenantId: string }> {
  return db.system.$transaction(async (tx) => {
    const row = await tx.invitation.findUnique({ where: { tokenHash: hashToken(input.token) } });
    if (!row || row.acceptedAt || row.revokedAt || row.expiresAt <= input.now) {
      throw new ServiceError("invalid", "invitation-invalid", "This invitation is invalid, used or expired.");
    }
    const user = await tx.user.findUniqueOrThrow({ where: { id: input.userId } });
    if (user.email !== row.email) {
      throw new ServiceError(
        "forbidden",
        "invitation-other-user",
        `This invitation is for ${row.email}; sign in with that address.`,
      );
    }
    await tx.invitation.update({ where: { id: row.id }, data: { acceptedAt: input.now } });
    const existing = await tx.membership.findFirst({ where: { tenantId: row.tenantId, userId: user.id } });
    if (!existing)
      await tx.membership.create({ data: { tenantId: row.tenantId, userId: user.id, role: row.role } });
    await tx.auditLogEntry.create({
      data: {
        tenantId: row.tenantId,
        actorType: "user",
        actorId: user.id,
        actorLabel: user.email,
        action: "member.join",
        targetType: "user",
        targetId: user.id,
        after: { role: row.role },
      },
    });
    return { tenantId: row.tenantId };
  });
}
