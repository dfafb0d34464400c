import { verifyPassword } from "@parley/infra";
import { recordAccountAudit } from "../../audit";
import type { CoreDeps } from "../../context";
import { ServiceError } from "../../errors";
import type { RequestFacts } from "../request-facts";
import { newRecoveryCodes } from "./recovery-codes";
import { mfaSecretBinding, mfaVaultOf, verifySecondFactor } from "./second-factor";
import { newTotpSecret, otpauthUri, verifyTotp } from "./totp";

/** Where a user's multi-factor sign-in stands (for the account security page). */
export interface MfaStatus {
  enabled: boolean;
  enabledAt: Date | null;
  /** Unused recovery codes left. */
  recoveryCodesLeft: number;
}

/** A started enrolment: what the authenticator app needs (shown once, as a QR code and as text). */
export interface MfaEnrolment {
  /** Base32 secret, for typing into the app by hand. */
  secret: string;
  /** otpauth:// URI, for the QR code. */
  otpauthUri: string;
}

interface Acting {
  userId: string;
  now: Date;
  request: RequestFacts;
}

const wrongCode = () =>
  new ServiceError("invalid", "mfa-code-invalid", "That code is not right (or was already used).", {
    errors: [{ path: "code", message: "is not right (or was already used)" }],
  });

async function userOf(deps: CoreDeps, userId: string) {
  const user = await deps.db.system.user.findUnique({ where: { id: userId } });
  if (!user) throw new ServiceError("not_found", "user-not-found", `user ${userId} was not found`);
  return user;
}

/** The user's MFA state. */
export async function mfaStatus(deps: CoreDeps, userId: string): Promise<MfaStatus> {
  const user = await userOf(deps, userId);
  const recoveryCodesLeft = await deps.db.system.mfaRecoveryCode.count({ where: { userId, usedAt: null } });
  return { enabled: user.mfaEnabledAt !== null, enabledAt: user.mfaEnabledAt, recoveryCodesLeft };
}

/**
 * Starts enrolling an authenticator app: a new secret, stored encrypted as pending (a started
 * enrolment replaces an earlier unconfirmed one).
 * @throws ServiceError `mfa-already-enabled`
 */
export async function startMfaEnrolment(deps: CoreDeps, input: { userId: string }): Promise<MfaEnrolment> {
  const user = await userOf(deps, input.userId);
  if (user.mfaEnabledAt) {
    throw new ServiceError(
      "conflict",
      "mfa-already-enabled",
      "Multi-factor sign-in is already on; turn it off first to enrol another app.",
    );
  }
  const secret = newTotpSecret();
  const sealed = mfaVaultOf(deps).encrypt(secret, mfaSecretBinding(user.id));
  await deps.db.system.user.update({ where: { id: user.id }, data: { mfaPendingSecret: sealed } });
  return { secret, otpauthUri: otpauthUri(user.email, secret) };
}

/**
 * Confirms an enrolment with a code from the app: MFA is on, and 10 recovery codes are returned
 * (shown once; only their hashes are stored). Audited `auth.mfa_enabled`.
 * @throws ServiceError `mfa-not-started`, `mfa-code-invalid`
 */
export async function confirmMfaEnrolment(
  deps: CoreDeps,
  input: Acting & { code: string },
): Promise<{ recoveryCodes: string[] }> {
  const user = await userOf(deps, input.userId);
  if (!user.mfaPendingSecret || user.mfaEnabledAt) {
    throw new ServiceError("conflict", "mfa-not-started", "Start the enrolment first.");
  }
  const secret = mfaVaultOf(deps).decrypt(user.mfaPendingSecret, mfaSecretBinding(user.id));
  const step = await verifyTotp(secret, input.code.replace(/\s/g, ""), input.now, null);
  if (step === null) throw wrongCode();
  const { codes, hashes } = newRecoveryCodes();
  await deps.db.system.$transaction(async (tx) => {
    const enabled = await tx.user.updateMany({
      where: { id: user.id, mfaEnabledAt: null, mfaPendingSecret: user.mfaPendingSecret },
      data: {
        mfaSecret: user.mfaPendingSecret,
        mfaPendingSecret: null,
        mfaEnabledAt: input.now,
        mfaLastTimeStep: step,
      },
    });
    if (enabled.count !== 1)
      throw new ServiceError("conflict", "mfa-not-started", "Start the enrolment first.");
    await tx.mfaRecoveryCode.deleteMany({ where: { userId: user.id } });
    await tx.mfaRecoveryCode.createMany({ data: hashes.map((codeHash) => ({ userId: user.id, codeHash })) });
  });
  await recordAccountAudit(deps.db, {
    action: "auth.mfa_enabled",
    userId: user.id,
    email: user.email,
    byAccountOwner: true,
    ...input.request,
  });
  return { recoveryCodes: codes };
}

/**
 * Turns MFA off: needs the password and a current code or an unused recovery code. Audited
 * `auth.mfa_disabled`.
 * @throws ServiceError `mfa-not-enabled`, `wrong-password`, `mfa-code-invalid`
 */
export async function disableMfa(
  deps: CoreDeps,
  input: Acting & { password: string; code: string },
): Promise<void> {
  const user = await userOf(deps, input.userId);
  if (!user.mfaEnabledAt)
    throw new ServiceError("conflict", "mfa-not-enabled", "Multi-factor sign-in is off.");
  if (!(await verifyPassword(input.password, user.passwordHash ?? undefined))) {
    throw new ServiceError("invalid", "wrong-password", "That password is not right.", {
      errors: [{ path: "password", message: "is not right" }],
    });
  }
  const factor = await verifySecondFactor(deps, user.id, input.code, input.now);
  if (!factor) {
    await auditFailure(deps, user, input, "disable");
    throw wrongCode();
  }
  if (factor === "recovery-code") await auditRecoveryCodeUse(deps, user, input, "disable");
  await deps.db.system.$transaction([
    deps.db.system.user.update({
      where: { id: user.id },
      data: { mfaSecret: null, mfaPendingSecret: null, mfaEnabledAt: null, mfaLastTimeStep: null },
    }),
    deps.db.system.mfaRecoveryCode.deleteMany({ where: { userId: user.id } }),
    deps.db.system.mfaChallenge.deleteMany({ where: { userId: user.id } }),
  ]);
  await recordAccountAudit(deps.db, {
    action: "auth.mfa_disabled",
    userId: user.id,
    email: user.email,
    byAccountOwner: true,
    after: { factor },
    ...input.request,
  });
}

/**
 * Replaces every recovery code with 10 new ones (shown once); needs a current code (or a recovery
 * code). Audited `auth.mfa_recovery_codes_regenerated`.
 * @throws ServiceError `mfa-not-enabled`, `mfa-code-invalid`
 */
export async function regenerateRecoveryCodes(
  deps: CoreDeps,
  input: Acting & { code: string },
): Promise<{ recoveryCodes: string[] }> {
  const user = await userOf(deps, input.userId);
  if (!user.mfaEnabledAt)
    throw new ServiceError("conflict", "mfa-not-enabled", "Multi-factor sign-in is off.");
  const factor = await verifySecondFactor(deps, user.id, input.code, input.now);
  if (!factor) {
    await auditFailure(deps, user, input, "regenerate-recovery-codes");
    throw wrongCode();
  }
  if (factor === "recovery-code") await auditRecoveryCodeUse(deps, user, input, "regenerate-recovery-codes");
  const { codes, hashes } = newRecoveryCodes();
  await deps.db.system.$transaction([
    deps.db.system.mfaRecoveryCode.deleteMany({ where: { userId: user.id } }),
    deps.db.system.mfaRecoveryCode.createMany({
      data: hashes.map((codeHash) => ({ userId: user.id, codeHash })),
    }),
  ]);
  await recordAccountAudit(deps.db, {
    action: "auth.mfa_recovery_codes_regenerated",
    userId: user.id,
    email: user.email,
    byAccountOwner: true,
    ...input.request,
  });
  return { recoveryCodes: codes };
}

/** Audits a wrong second-factor code (`auth.mfa_failed`) with what it was for. */
export async function auditFailure(
  deps: CoreDeps,
  user: { id: string; email: string },
  input: { request: RequestFacts },
  step: "sign-in" | "disable" | "regenerate-recovery-codes",
): Promise<void> {
  await recordAccountAudit(deps.db, {
    action: "auth.mfa_failed",
    userId: user.id,
    email: user.email,
    byAccountOwner: false,
    after: { step },
    ...input.request,
  });
}

/** Audits the use of a recovery code (`auth.mfa_recovery_code_used`) with what it was for. */
export async function auditRecoveryCodeUse(
  deps: CoreDeps,
  user: { id: string; email: string },
  input: { request: RequestFacts },
  step: "sign-in" | "disable" | "regenerate-recovery-codes",
): Promise<void> {
  const left = await deps.db.system.mfaRecoveryCode.count({ where: { userId: user.id, usedAt: null } });
  await recordAccountAudit(deps.db, {
    action: "auth.mfa_recovery_code_used",
    userId: user.id,
    email: user.email,
    byAccountOwner: true,
    after: { step, recoveryCodesLeft: left },
    ...input.request,
  });
}
