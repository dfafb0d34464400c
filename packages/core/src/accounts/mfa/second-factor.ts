import type { SecretVault } from "@parley/infra";
import type { CoreDeps } from "../../context";
import { ServiceError } from "../../errors";
import { looksLikeRecoveryCode, recoveryCodeHash } from "./recovery-codes";
import { verifyTotp } from "./totp";

/** The vault binding of a user's TOTP secret (a ciphertext cannot be moved to another user). */
export const mfaSecretBinding = (userId: string): string => `user:${userId}:mfa-totp`;

/** The vault, or an `unavailable` error (MFA secrets are stored encrypted). */
export function mfaVaultOf(deps: CoreDeps): SecretVault {
  if (!deps.vault) {
    throw new ServiceError("unavailable", "vault-not-configured", "secret storage is not configured");
  }
  return deps.vault;
}

/** Which factor a code proved. */
export type SecondFactor = "totp" | "recovery-code";

/**
 * Checks a code against the user's enabled MFA: an authenticator code (accepted once: its time step
 * is recorded atomically, so a replay, even a concurrent one, fails) or an unused recovery code
 * (marked used atomically).
 * @returns the factor used, or null for a wrong, replayed or used code (and when MFA is off)
 */
export async function verifySecondFactor(
  deps: CoreDeps,
  userId: string,
  typed: string,
  now: Date,
): Promise<SecondFactor | null> {
  const code = typed.replace(/\s/g, "");
  const user = await deps.db.system.user.findUnique({
    where: { id: userId },
    select: { mfaSecret: true, mfaEnabledAt: true, mfaLastTimeStep: true },
  });
  if (!user?.mfaSecret || !user.mfaEnabledAt) return null;
  if (looksLikeRecoveryCode(code)) {
    const used = await deps.db.system.mfaRecoveryCode.updateMany({
      where: { userId, codeHash: recoveryCodeHash(code), usedAt: null },
      data: { usedAt: now },
    });
    return used.count === 1 ? "recovery-code" : null;
  }
  const secret = mfaVaultOf(deps).decrypt(user.mfaSecret, mfaSecretBinding(userId));
  const step = await verifyTotp(secret, code, now, user.mfaLastTimeStep);
  if (step === null) return null;
  const recorded = await deps.db.system.user.updateMany({
    where: { id: userId, OR: [{ mfaLastTimeStep: null }, { mfaLastTimeStep: { lt: step } }] },
    data: { mfaLastTimeStep: step },
  });
  return recorded.count === 1 ? "totp" : null;
}
