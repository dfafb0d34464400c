import { verifyPassword } from "@parley/infra";
import { recordAccountAudit } from "../audit";
import type { CoreDeps } from "../context";
import { ServiceError } from "../errors";
import type { RequestFacts } from "./request-facts";

/**
 * Checks e-mail and password. The same "wrong e-mail or password" error for an unknown e-mail and a
 * wrong password (and a dummy hash check for the former, so timing does not tell them apart).
 * Sign-ins and failed attempts on an existing account are audited in its workspaces (never the
 * password).
 * @throws ServiceError `bad-credentials`
 */
export async function signIn(
  deps: CoreDeps,
  input: { email: string; password: string; now: Date; request: RequestFacts },
): Promise<{ userId: string }> {
  const db = deps.db;
  const user = await db.system.user.findUnique({ where: { email: input.email.toLowerCase() } });
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
  await db.system.user.update({ where: { id: user.id }, data: { lastLoginAt: input.now } });
  await recordAccountAudit(db, {
    action: "auth.sign_in",
    userId: user.id,
    email: user.email,
    byAccountOwner: true,
    ...input.request,
  });
  return { userId: user.id };
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
