import { generateToken, hashPassword, hashToken } from "@parley/infra";
import { recordAccountAudit } from "../audit";
import type { CoreDeps } from "../context";
import { ServiceError } from "../errors";
import { mayMail } from "./mail-throttle";
import { mailOf, studioLink } from "./mailer";
import type { RequestFacts } from "./request-facts";

/** How long a password reset link works. */
export const RESET_TTL_MS = 60 * 60 * 1000;

/**
 * Mails a password reset link when the e-mail belongs to an active user. Says nothing about whether
 * it does (the caller always answers the same), so the form cannot be used to discover accounts.
 * Throttled (see {@link mayMail}: 3 an hour per address, 10 an hour per client): past the limit
 * nothing is sent, audited `auth.password_reset_throttled` when the account exists.
 */
export async function requestPasswordReset(
  deps: CoreDeps,
  input: { email: string; now: Date; request: RequestFacts },
): Promise<void> {
  const { mailer, studioUrl } = mailOf(deps);
  const db = deps.db;
  const allowed = await mayMail(deps.infra, "password-reset", input.email, input.request.ipAddress);
  const user = await db.system.user.findUnique({ where: { email: input.email.toLowerCase() } });
  if (!user || user.disabledAt) return;
  if (!allowed) {
    await recordAccountAudit(db, {
      action: "auth.password_reset_throttled",
      userId: user.id,
      email: user.email,
      byAccountOwner: false,
      ...input.request,
    });
    return;
  }
  // Anyone may ask for a link to any address: the request is not attributed to the account's owner.
  await recordAccountAudit(db, {
    action: "auth.password_reset_requested",
    userId: user.id,
    email: user.email,
    byAccountOwner: false,
    ...input.request,
  });
  const token = generateToken("secret");
  await db.system.passwordResetToken.create({
    data: { userId: user.id, tokenHash: token.hash, expiresAt: new Date(input.now.getTime() + RESET_TTL_MS) },
  });
  await mailer.send({
    to: user.email,
    subject: "Reset your Parley password",
    text: `Someone asked to reset the password of your Parley account.\n\nOpen this link within an hour to choose a new one:\n${studioLink(studioUrl, "/reset-password", token.key)}\n\nIf it was not you, ignore this e-mail.`,
  });
}

/**
 * Sets a new password with a reset token: single use, expiring; every session of the user is
 * revoked (whoever knew the old password is signed out). Audited in the account's workspaces.
 * @throws ServiceError `reset-link-invalid`
 */
export async function resetPassword(
  deps: CoreDeps,
  input: { token: string; password: string; now: Date; request: RequestFacts },
): Promise<{ userId: string }> {
  const db = deps.db;
  const passwordHash = await hashPassword(input.password);
  const reset = await db.system.$transaction(async (tx) => {
    const row = await tx.passwordResetToken.findUnique({ where: { tokenHash: hashToken(input.token) } });
    if (!row || row.usedAt || row.expiresAt <= input.now) {
      throw new ServiceError(
        "invalid",
        "reset-link-invalid",
        "This reset link is invalid or has expired; ask for a new one.",
      );
    }
    const used = await tx.passwordResetToken.updateMany({
      where: { id: row.id, usedAt: null },
      data: { usedAt: input.now },
    });
    if (used.count === 0)
      throw new ServiceError("invalid", "reset-link-invalid", "This reset link was already used.");
    await tx.user.update({ where: { id: row.userId }, data: { passwordHash } });
    const revoked = await tx.studioSession.updateMany({
      where: { userId: row.userId, revokedAt: null },
      data: { revokedAt: input.now },
    });
    const { email } = await tx.user.findUniqueOrThrow({ where: { id: row.userId }, select: { email: true } });
    return { userId: row.userId, email, sessionsRevoked: revoked.count };
  });
  await recordAccountAudit(db, {
    action: "auth.password_reset_completed",
    userId: reset.userId,
    email: reset.email,
    byAccountOwner: true,
    after: { sessionsRevoked: reset.sessionsRevoked },
    ...input.request,
  });
  return { userId: reset.userId };
}
