import { hashToken } from "@parley/infra";
import type { Role } from "../access/roles";
import type { CoreDeps } from "../context";
import { ServiceError } from "../errors";
import { createUser } from "../tenants/tenants";

const invalid = () =>
  new ServiceError("invalid", "invitation-invalid", "This invitation is invalid, used or expired.");

/** What an invitation link shows before it is accepted. */
export interface InvitationPreview {
  tenantName: string;
  email: string;
  role: Role;
  /** Whether the invited address already has an account (then: sign in to accept). */
  userExists: boolean;
}

/**
 * Describes a pending invitation from its link's token (anyone holding the link may look).
 * @throws ServiceError `invitation-invalid` (unknown, used, revoked or expired)
 */
export async function describeInvitation(
  deps: CoreDeps,
  token: string,
  now: Date,
): Promise<InvitationPreview> {
  const row = await deps.db.system.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { tenant: true },
  });
  if (!row || row.acceptedAt || row.revokedAt || row.expiresAt <= now) throw invalid();
  const user = await deps.db.system.user.findUnique({ where: { email: row.email }, select: { id: true } });
  return { tenantName: row.tenant.name, email: row.email, role: row.role, userExists: user !== null };
}

/**
 * Accepts an invitation. A signed-in user (`userId`, whose e-mail must be the invited one) joins;
 * someone without an account creates one with the invited e-mail (`name` and `password`). The
 * membership, the used mark and the `member.join` audit row are written in one transaction.
 * @throws ServiceError `invitation-invalid`, `sign-in-first`, `invalid-input`, `invitation-other-user`
 */
export async function acceptInvitation(
  deps: CoreDeps,
  input: {
    token: string;
    userId?: string | undefined;
    name?: string | undefined;
    password?: string | undefined;
    now: Date;
  },
): Promise<{ tenantId: string; userId: string }> {
  let userId = input.userId;
  if (!userId) {
    const preview = await describeInvitation(deps, input.token, input.now);
    if (preview.userExists) {
      throw new ServiceError("unauthenticated", "sign-in-first", `Sign in as ${preview.email} to accept.`);
    }
    if (!input.name || !input.password) {
      throw new ServiceError(
        "invalid",
        "invalid-input",
        "Choose a name and a password to create your account.",
      );
    }
    userId = (await createUser(deps, { email: preview.email, name: input.name, password: input.password }))
      .id;
  }
  const accepting = userId;
  return deps.db.system.$transaction(async (tx) => {
    const row = await tx.invitation.findUnique({ where: { tokenHash: hashToken(input.token) } });
    if (!row || row.acceptedAt || row.revokedAt || row.expiresAt <= input.now) throw invalid();
    const user = await tx.user.findUniqueOrThrow({ where: { id: accepting } });
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
    return { tenantId: row.tenantId, userId: user.id };
  });
}
