import { generateToken, hashToken } from "@parley/infra";
import type { CoreDeps } from "../../context";
import { ServiceError } from "../../errors";
import type { RequestFacts } from "../request-facts";
import { auditFailure, auditRecoveryCodeUse } from "./enrolment";
import { verifySecondFactor } from "./second-factor";

/** How long the second step of a sign-in may take. */
export const MFA_CHALLENGE_TTL_MS = 5 * 60 * 1000;
/** Wrong codes a challenge takes before it is spent (then: sign in again, which is throttled). */
export const MFA_CHALLENGE_MAX_ATTEMPTS = 5;

const expired = () =>
  new ServiceError(
    "unauthenticated",
    "mfa-challenge-invalid",
    "This sign-in has expired or was used up; sign in again.",
  );

/**
 * Issues the second step of a sign-in whose password was right: a single-use token (only its
 * hash is stored) valid for 5 minutes and 5 codes.
 */
export async function issueMfaChallenge(
  deps: CoreDeps,
  input: { userId: string; now: Date },
): Promise<{ challengeToken: string; expiresAt: Date }> {
  const token = generateToken("secret");
  const expiresAt = new Date(input.now.getTime() + MFA_CHALLENGE_TTL_MS);
  await deps.db.system.mfaChallenge.create({
    data: { userId: input.userId, tokenHash: token.hash, expiresAt },
  });
  return { challengeToken: token.key, expiresAt };
}

/**
 * Completes a sign-in's second step with an authenticator code or a recovery code. A wrong code
 * spends one of the challenge's attempts (audited `auth.mfa_failed`); the right one spends the
 * challenge. A recovery code is audited `auth.mfa_recovery_code_used`.
 * @throws ServiceError `mfa-challenge-invalid` (unknown, expired, used or out of attempts),
 *   `mfa-code-invalid`
 */
export async function completeMfaChallenge(
  deps: CoreDeps,
  input: { challengeToken: string; code: string; now: Date; request: RequestFacts },
): Promise<{ userId: string }> {
  const db = deps.db.system;
  const tokenHash = hashToken(input.challengeToken);
  // Claim an attempt first (atomically), so parallel guesses cannot exceed the limit.
  const claimed = await db.mfaChallenge.updateMany({
    where: {
      tokenHash,
      usedAt: null,
      expiresAt: { gt: input.now },
      attempts: { lt: MFA_CHALLENGE_MAX_ATTEMPTS },
    },
    data: { attempts: { increment: 1 } },
  });
  if (claimed.count !== 1) throw expired();
  const challenge = await db.mfaChallenge.findUniqueOrThrow({
    where: { tokenHash },
    include: { user: { select: { id: true, email: true, disabledAt: true } } },
  });
  if (challenge.user.disabledAt) throw expired();
  const factor = await verifySecondFactor(deps, challenge.userId, input.code, input.now);
  if (!factor) {
    await auditFailure(deps, challenge.user, input, "sign-in");
    const left = MFA_CHALLENGE_MAX_ATTEMPTS - challenge.attempts;
    throw new ServiceError(
      "invalid",
      "mfa-code-invalid",
      left > 0
        ? `That code is not right (or was already used). ${left} attempt${left === 1 ? "" : "s"} left.`
        : "That code is not right. Sign in again.",
      { errors: [{ path: "code", message: "is not right (or was already used)" }] },
    );
  }
  const used = await db.mfaChallenge.updateMany({
    where: { id: challenge.id, usedAt: null },
    data: { usedAt: input.now },
  });
  if (used.count !== 1) throw expired();
  if (factor === "recovery-code") await auditRecoveryCodeUse(deps, challenge.user, input, "sign-in");
  return { userId: challenge.userId };
}
