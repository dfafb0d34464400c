import { type CoreDeps, createTenant, createUser, recordAccountAudit, ServiceError } from "@parley/core";
import type { Database } from "@parley/db";
import { generateToken, hashPassword, hashToken, verifyPassword } from "@parley/infra";
import { z } from "zod";
import type { Mailer } from "../mail/mailer";

/** A password the studio accepts: 8 to 200 characters. */
export const passwordSchema = z
  .string()
  .min(8, "must be at least 8 characters")
  .max(200, "must be at most 200 characters");

/** An e-mail address, compared lower-cased. */
export const emailSchema = z
  .email("must be an e-mail address")
  .max(320)
  .transform((email) => email.toLowerCase());

/** Where a request came from, for the audit log. */
export interface RequestFacts {
  readonly ipAddress: string | null;
  readonly userAgent: string | null;
}

/** The audit-relevant facts of a request (and nothing else of it: no cookie, no token). */
export const requestFactsOf = (request: RequestFacts): RequestFacts => ({
  ipAddress: request.ipAddress,
  userAgent: request.userAgent,
});

/** How long a password reset link works. */
export const RESET_TTL_MS = 60 * 60 * 1000;

/** Signs a new user up: the user and their first workspace (they own it). */
export async function signUp(
  deps: CoreDeps,
  input: { email: string; name: string; password: string; workspaceName?: string | undefined },
): Promise<{ userId: string; tenantId: string }> {
  const user = await createUser(deps, { email: input.email, name: input.name, password: input.password });
  const tenant = await createTenant(deps, {
    name: input.workspaceName?.trim() || `${input.name.trim()}'s workspace`,
    ownerUserId: user.id,
  });
  return { userId: user.id, tenantId: tenant.id };
}

/**
 * Checks e-mail and password. The same "wrong e-mail or password" error for an unknown e-mail and a
 * wrong password (and a dummy hash check for the former, so timing does not tell them apart). Sign-ins
 * and failed attempts on an existing account are audited in its workspaces (never the password).
 */
export async function authenticate(
  db: Database,
  email: string,
  password: string,
  now: Date,
  request: RequestFacts,
): Promise<{ userId: string }> {
  const user = await db.system.user.findUnique({ where: { email: email.toLowerCase() } });
  const ok = await verifyPassword(password, user?.passwordHash ?? undefined);
  if (!user || !ok || user.disabledAt) {
    if (user) {
      await recordAccountAudit(db, {
        action: "auth.sign_in_failed",
        userId: user.id,
        email: user.email,
        byAccountOwner: false,
        after: { reason: ok ? "account-disabled" : "wrong-password" },
        ...request,
      });
    }
    throw new ServiceError("unauthenticated", "bad-credentials", "Wrong e-mail or password.");
  }
  await db.system.user.update({ where: { id: user.id }, data: { lastLoginAt: now } });
  await recordAccountAudit(db, {
    action: "auth.sign_in",
    userId: user.id,
    email: user.email,
    byAccountOwner: true,
    ...request,
  });
  return { userId: user.id };
}

/** The tenant a new session starts in: the most recently joined one. */
export async function defaultTenantOf(db: Database, userId: string): Promise<string | null> {
  const membership = await db.system.membership.findFirst({
    where: { userId, tenant: { disabledAt: null } },
    orderBy: { createdAt: "desc" },
    select: { tenantId: true },
  });
  return membership?.tenantId ?? null;
}

/**
 * Sends a password reset link when the e-mail belongs to a user. Says nothing about whether it does
 * (the caller always answers the same), so the form cannot be used to discover accounts.
 */
export async function requestPasswordReset(
  db: Database,
  mailer: Mailer,
  input: { email: string; studioUrl: string; now: Date; request: RequestFacts },
): Promise<void> {
  const user = await db.system.user.findUnique({ where: { email: input.email.toLowerCase() } });
  if (!user || user.disabledAt) return;
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
  const link = new URL(`/reset-password?token=${encodeURIComponent(token.key)}`, input.studioUrl).toString();
  await mailer.send({
    to: user.email,
    subject: "Reset your Parley password",
    text: `Someone asked to reset the password of your Parley account.\n\nOpen this link within an hour to choose a new one:\n${link}\n\nIf it was not you, ignore this e-mail.`,
  });
}

/**
 * Sets a new password with a reset token: single use, expiring; every session of the user is
 * revoked (whoever knew the old password is signed out). Audited in the account's workspaces.
 */
export async function resetPassword(
  db: Database,
  input: { token: string; password: string; now: Date; request: RequestFacts },
): Promise<{ userId: string }> {
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
