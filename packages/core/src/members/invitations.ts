import { type InvitationView, type InviteMemberInput, inviteMemberInputSchema } from "@parley/contract";
import type { Invitation } from "@parley/db";
import { generateToken } from "@parley/infra";
import { mailOf, studioLink } from "../accounts/mailer";
import { recordAudit } from "../audit";
import { authorize, nowOf, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { isUuid } from "../internal/ids";
import { assertCanAssign } from "./role-guard";

/** How long an invitation link works. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const toView = (row: Invitation): InvitationView => ({
  id: row.id,
  email: row.email,
  role: row.role,
  expiresAt: row.expiresAt.toISOString(),
  createdAt: row.createdAt.toISOString(),
});

/** Pending invitations (not accepted, revoked or expired), newest first. Needs `members:read`. */
export async function listInvitations(ctx: ServiceContext): Promise<InvitationView[]> {
  authorize(ctx, "members:read");
  const rows = await tenantDb(ctx).invitation.findMany({
    where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: nowOf(ctx.deps) } },
    orderBy: { createdAt: "desc" },
  });
  return rows.map(toView);
}

/**
 * Invites someone by e-mail with a role and mails them the link (the token is stored only as a
 * hash). Needs `members:manage` and the right to give that role.
 * @throws ServiceError `forbidden`, `already-member`, `invalid-input`, `mail-not-configured`
 */
export async function inviteMember(ctx: ServiceContext, input: InviteMemberInput): Promise<InvitationView> {
  authorize(ctx, "members:manage");
  const { email, role } = parseInput(inviteMemberInputSchema, input, "invitation");
  assertCanAssign(ctx, role);
  const { mailer, studioUrl } = mailOf(ctx.deps);
  const db = tenantDb(ctx);
  if (await db.membership.findFirst({ where: { user: { email } }, select: { id: true } })) {
    throw new ServiceError("conflict", "already-member", `${email} is already a member.`);
  }
  const tenant = await db.tenant.findFirstOrThrow({ select: { name: true } });
  const token = generateToken("secret");
  const invitation = await db.$transaction(async (tx) => {
    const row = await tx.invitation.create({
      data: {
        tenantId: ctx.tenantId,
        email,
        role,
        tokenHash: token.hash,
        invitedById: ctx.actor.type === "user" ? ctx.actor.userId : null,
        expiresAt: new Date(nowOf(ctx.deps).getTime() + INVITATION_TTL_MS),
      },
    });
    await recordAudit(tx, ctx, {
      action: "member.invite",
      targetType: "invitation",
      targetId: row.id,
      after: { email, role },
    });
    return row;
  });
  await mailer.send({
    to: email,
    subject: `You are invited to ${tenant.name} on Parley`,
    text: `${ctx.actor.label} invited you to join ${tenant.name} on Parley as ${role}.\n\nAccept within 7 days:\n${studioLink(studioUrl, "/invitation", token.key)}`,
  });
  return toView(invitation);
}

/**
 * Revokes a pending invitation. Needs `members:manage` and the right to give its role.
 * @throws ServiceError `forbidden`, `invitation-not-found`
 */
export async function revokeInvitation(ctx: ServiceContext, invitationId: string): Promise<void> {
  authorize(ctx, "members:manage");
  const db = tenantDb(ctx);
  const row = isUuid(invitationId) ? await db.invitation.findFirst({ where: { id: invitationId } }) : null;
  if (!row) throw notFound("invitation", invitationId);
  assertCanAssign(ctx, row.role);
  await db.$transaction(async (tx) => {
    await tx.invitation.update({ where: { id: invitationId }, data: { revokedAt: nowOf(ctx.deps) } });
    await recordAudit(tx, ctx, {
      action: "member.revoke_invitation",
      targetType: "invitation",
      targetId: invitationId,
      before: { email: row.email, role: row.role },
    });
  });
}
