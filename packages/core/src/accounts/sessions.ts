import { generateSessionToken, generateToken, hashToken, tokenKindOf } from "@parley/infra";
import type { CoreDeps } from "../context";

/** How long a studio session lives without use. */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** lastSeenAt is refreshed at most this often, so reads do not write on every request. */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

/** A signed-in studio session: who, where they work, and the secret their CSRF token derives from. */
export interface AccountSession {
  readonly sessionId: string;
  readonly csrfSecret: string;
  readonly activeTenantId: string | null;
  readonly user: { readonly id: string; readonly email: string; readonly name: string };
}

/** A new session for `userId`: the token is returned (for the cookie), only its hash is stored. */
export async function createSession(
  deps: CoreDeps,
  input: {
    userId: string;
    activeTenantId: string | null;
    ipAddress: string | null;
    userAgent: string | null;
    now: Date;
  },
): Promise<{ token: string; expiresAt: Date; sessionId: string }> {
  const token = generateSessionToken();
  const expiresAt = new Date(input.now.getTime() + SESSION_TTL_MS);
  const session = await deps.db.system.studioSession.create({
    data: {
      userId: input.userId,
      tokenHash: token.hash,
      csrfSecret: generateToken("secret").key,
      activeTenantId: input.activeTenantId,
      ipAddress: input.ipAddress,
      userAgent: input.userAgent?.slice(0, 500) ?? null,
      expiresAt,
      lastSeenAt: input.now,
    },
  });
  return { token: token.key, expiresAt, sessionId: session.id };
}

/** The session of a token, or null for a missing, unknown, expired or revoked one (or a disabled user). */
export async function resolveSession(
  deps: CoreDeps,
  token: string | null,
  now: Date,
): Promise<AccountSession | null> {
  if (!token || tokenKindOf(token) !== "session") return null;
  const session = await deps.db.system.studioSession.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: { select: { id: true, email: true, name: true, disabledAt: true } } },
  });
  if (!session || session.revokedAt || session.expiresAt <= now || session.user.disabledAt) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await deps.db.system.studioSession.update({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  return {
    sessionId: session.id,
    csrfSecret: session.csrfSecret,
    activeTenantId: session.activeTenantId,
    user: { id: session.user.id, email: session.user.email, name: session.user.name },
  };
}

/** Ends a session (sign-out). */
export async function revokeSession(deps: CoreDeps, sessionId: string, now: Date): Promise<void> {
  await deps.db.system.studioSession.updateMany({
    where: { id: sessionId, revokedAt: null },
    data: { revokedAt: now },
  });
}

/** Makes `tenantId` the session's active workspace (callers check membership first). */
export async function setActiveTenant(deps: CoreDeps, sessionId: string, tenantId: string): Promise<void> {
  await deps.db.system.studioSession.update({ where: { id: sessionId }, data: { activeTenantId: tenantId } });
}
