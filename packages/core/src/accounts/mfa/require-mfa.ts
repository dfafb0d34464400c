import { type RequireMfaSetting, requireMfaSettingSchema } from "@parley/contract";
import { recordAudit } from "../../audit";
import type { CoreDeps } from "../../context";
import { authorize, type ServiceContext, tenantDb } from "../../context";
import { parseInput, ServiceError } from "../../errors";

/** The workspace's "members must use multi-factor sign-in" setting. Needs `tenant:manage`. */
export async function workspaceMfaSetting(ctx: ServiceContext): Promise<RequireMfaSetting> {
  authorize(ctx, "tenant:manage");
  const tenant = await tenantDb(ctx).tenant.findFirstOrThrow({ select: { requireMfa: true } });
  return { requireMfa: tenant.requireMfa };
}

/**
 * Turns "members must use multi-factor sign-in" on or off. Only an owner may (it locks out every
 * member without MFA until they enrol), and to turn it on the owner must use MFA already (so they
 * cannot lock themselves out). Audited `tenant.mfa_required_changed`.
 * @throws ServiceError `forbidden`, `invalid-input`, `mfa-enrol-first`
 */
export async function setWorkspaceMfaRequirement(
  ctx: ServiceContext,
  input: RequireMfaSetting,
): Promise<RequireMfaSetting> {
  authorize(ctx, "tenant:manage");
  if (ctx.actor.type !== "user" || ctx.actor.role !== "owner") {
    throw new ServiceError("forbidden", "forbidden", "Only an owner can require multi-factor sign-in.");
  }
  const { requireMfa } = parseInput(requireMfaSettingSchema, input, "setting");
  if (requireMfa) {
    const owner = await ctx.deps.db.system.user.findUnique({
      where: { id: ctx.actor.userId },
      select: { mfaEnabledAt: true },
    });
    if (!owner?.mfaEnabledAt) {
      throw new ServiceError(
        "conflict",
        "mfa-enrol-first",
        "Turn on multi-factor sign-in for your own account (Account security) before requiring it.",
      );
    }
  }
  return tenantDb(ctx).$transaction(async (tx) => {
    const before = await tx.tenant.findFirstOrThrow({ select: { requireMfa: true } });
    await tx.tenant.update({ where: { id: ctx.tenantId }, data: { requireMfa } });
    if (before.requireMfa !== requireMfa) {
      await recordAudit(tx, ctx, {
        action: "tenant.mfa_required_changed",
        targetType: "tenant",
        targetId: ctx.tenantId,
        before,
        after: { requireMfa },
      });
    }
    return { requireMfa };
  });
}

/**
 * Whether `userId` must enrol MFA before working in `tenantId` (the workspace requires it and the
 * user has not turned it on).
 */
export async function mfaEnrolmentRequired(
  deps: CoreDeps,
  tenantId: string,
  userId: string,
): Promise<boolean> {
  const tenant = await deps.db.system.tenant.findUnique({
    where: { id: tenantId },
    select: { requireMfa: true },
  });
  if (!tenant?.requireMfa) return false;
  const user = await deps.db.system.user.findUnique({
    where: { id: userId },
    select: { mfaEnabledAt: true },
  });
  return !user?.mfaEnabledAt;
}

/**
 * Refuses a member of a workspace that requires MFA who has not enrolled.
 * @throws ServiceError `mfa-enrolment-required` (forbidden)
 */
export async function assertMfaSatisfied(deps: CoreDeps, tenantId: string, userId: string): Promise<void> {
  if (await mfaEnrolmentRequired(deps, tenantId, userId)) {
    throw new ServiceError(
      "forbidden",
      "mfa-enrolment-required",
      "This workspace requires multi-factor sign-in: set it up in Account security first.",
    );
  }
}
