import { createHash } from "node:crypto";
import type { Database } from "@parley/db";
import { generateSessionToken, generateToken, hashToken, safeEqual, tokenKindOf } from "@parley/infra";
import type { SignedIn } from "../context";

/** How long a session lives without use. */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** Name of the session cookie (HTTP-only, SameSite=Lax). */
export const SESSION_COOKIE = "parley_session";
/** lastSeenAt is refreshed at most this often, so reads do not write on every request. */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

/** A new session for `userId`: the token goes in the cookie, only its hash in the database. */
export async function createSession(
  db: Database,
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
  const session = await db.system.studioSession.create({
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

/** The signed-in user of a session token, or null for a missing, unknown, expired or revoked one. */
export async function resolveSession(
  db: Database,
  token: string | null,
  now: Date,
): Promise<SignedIn | null> {
  if (!token || tokenKindOf(token) !== "session") return null;
  const session = await db.system.studioSession.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: { select: { id: true, email: true, name: true, disabledAt: true } } },
  });
  if (!session || session.revokedAt || session.expiresAt <= now || session.user.disabledAt) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.system.studioSession.update({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  return {
    sessionId: session.id,
    csrfSecret: session.csrfSecret,
    activeTenantId: session.activeTenantId,
    user: { id: session.user.id, email: session.user.email, name: session.user.name },
  };
}

/** Ends a session (sign out). */
export async function revokeSession(db: Database, sessionId: string, now: Date): Promise<void> {
  await db.system.studioSession.updateMany({
    where: { id: sessionId, revokedAt: null },
    data: { revokedAt: now },
  });
}

/**
 * The CSRF token of a session: derived from its secret, handed to the page in the `me` query and
 * sent back in the `x-csrf-token` header. A cross-site form or fetch cannot read it.
 */
export function csrfTokenOf(csrfSecret: string): string {
  return createHash("sha256").update(`parley-csrf:${csrfSecret}`).digest("base64url");
}

/** Whether a presented CSRF token belongs to the session. */
export function csrfTokenMatches(csrfSecret: string, presented: string | null): boolean {
  return presented !== null && safeEqual(presented, csrfTokenOf(csrfSecret));
}

/** Serializes the session cookie (HTTP-only, SameSite=Lax, Secure on https). */
export function sessionCookieHeader(token: string | null, expiresAt: Date | null, secure: boolean): string {
  const parts = [
    `${SESSION_COOKIE}=${token ?? ""}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    token && expiresAt ? `Expires=${expiresAt.toUTCString()}` : "Max-Age=0",
  ];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}

/** Reads the session token from a Cookie header. */
export function sessionTokenFromCookieHeader(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === SESSION_COOKIE) return value.join("=") || null;
  }
  return null;
}
