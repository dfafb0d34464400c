import { verifyPassword } from "@parley/infra";
import { recordAccountAudit } from "../audit";
import type { CoreDeps } from "../context";
import { ServiceError } from "../errors";
import { completeMfaChallenge, issueMfaChallenge } from "./mfa/challenge";
import type { RequestFacts } from "./request-facts";
import { claimSignInAttempt, forgetSignInFailures, type SignInAttempt } from "./sign-in-throttle";

/** The outcome of a right password: signed in, or the second step when MFA is on. */
export type SignInResult =
  | { readonly step: "done"; readonly userId: string }
  | {
      readonly step: "mfa";
      /** Redeem with {@link completeMfaChallenge} and a code within 5 minutes. */
      readonly challengeToken: string;
      readonly expiresAt: Date;
    };

/**
 * Checks e-mail and password. The same "wrong e-mail or password" error for an unknown e-mail and a
 * wrong password (and a dummy hash check for the former, so timing does not tell them apart).
 * Attempts are throttled per e-mail and per client address before any hash is checked (see
 * {@link claimSignInAttempt}); a throttled attempt on an existing account is audited
 * `auth.sign_in_throttled`. With MFA on, a right password yields a challenge, not a session, and
 * the attempt stays counted until the second factor is right (code guessing backs off too).
 * Sign-ins and failed attempts on an existing account are audited in its workspaces (never the
 * password).
 * @throws ServiceError `bad-credentials`, `sign-in-throttled`
 */
export async function signIn(
  deps: CoreDeps,
  input: { email: string; password: string; now: Date; request: RequestFacts },
): Promise<SignInResult> {
  const db = deps.db;
  const email = input.email.toLowerCase();
  let attempt: SignInAttempt;
  try {
    attempt = await claimSignInAttempt(deps.infra, email, input.request.ipAddress);
  } catch (error) {
    const user = await db.system.user.findUnique({ where: { email }, select: { id: true, email: true } });
    if (user && error instanceof ServiceError) {
      await recordAccountAudit(db, {
        action: "auth.sign_in_throttled",
        userId: user.id,
        email: user.email,
        byAccountOwner: false,
        after: { retryAfterSeconds: error.details.retryAfterSeconds },
        ...input.request,
      });
    }
    throw error;
  }
  const user = await db.system.user.findUnique({ where: { email } });
  const ok = await verifyPassword(input.password, user?.passwordHash ?? undefined);
  if (!user || !ok || user.disabledAt) {
    if (user) {
      await recordAccountAudit(db, {
        action: "auth.sign_in_failed",
        userId: user.id,
        email: user.email,
        byAccountOwner: false,
        after: { reason: ok ? "account-disabled" : "wrong-password" },
        ...input.request,
      });
    }
    throw new ServiceError("unauthenticated", "bad-credentials", "Wrong e-mail or password.");
  }
  if (user.mfaEnabledAt) {
    await attempt.passwordAccepted();
    const challenge = await issueMfaChallenge(deps, { userId: user.id, now: input.now });
    return { step: "mfa", ...challenge };
  }
  await attempt.succeeded();
  await recordSignIn(deps, user, input, null);
  return { step: "done", userId: user.id };
}

/**
 * Completes a sign-in with MFA: the challenge from {@link signIn} and a code (authenticator or
 * recovery). Audited `auth.sign_in` (with the factor) on success.
 * @throws ServiceError `mfa-challenge-invalid`, `mfa-code-invalid`
 */
export async function signInWithSecondFactor(
  deps: CoreDeps,
  input: { challengeToken: string; code: string; now: Date; request: RequestFacts },
): Promise<{ userId: string }> {
  const { userId } = await completeMfaChallenge(deps, input);
  const user = await deps.db.system.user.findUniqueOrThrow({ where: { id: userId } });
  await forgetSignInFailures(deps.infra, user.email);
  await recordSignIn(deps, user, input, "mfa");
  return { userId };
}

async function recordSignIn(
  deps: CoreDeps,
  user: { id: string; email: string },
  input: { now: Date; request: RequestFacts },
  factor: "mfa" | null,
): Promise<void> {
  await deps.db.system.user.update({ where: { id: user.id }, data: { lastLoginAt: input.now } });
  await recordAccountAudit(deps.db, {
    action: "auth.sign_in",
    userId: user.id,
    email: user.email,
    byAccountOwner: true,
    ...(factor ? { after: { factor } } : {}),
    ...input.request,
  });
}

/** Records a sign-out in the account's workspaces (the caller ends the session). */
export async function recordSignOut(
  deps: CoreDeps,
  user: { id: string; email: string },
  request: RequestFacts,
): Promise<void> {
  await recordAccountAudit(deps.db, {
    action: "auth.sign_out",
    userId: user.id,
    email: user.email,
    byAccountOwner: true,
    ...request,
  });
}

/** The workspace a new session starts in: the most recently joined one, or null. */
export async function defaultTenantOf(deps: CoreDeps, userId: string): Promise<string | null> {
  const membership = await deps.db.system.membership.findFirst({
    where: { userId, tenant: { disabledAt: null } },
    orderBy: { createdAt: "desc" },
    select: { tenantId: true },
  });
  return membership?.tenantId ?? null;
}
