import { createHash } from "node:crypto";
import { safeEqual } from "@parley/infra";

// The session cookie and CSRF token are HTTP: they stay here. Sessions themselves (creation,
// resolution, revocation) are @parley/core's accounts.

/** Name of the session cookie (HTTP-only, SameSite=Lax). */
export const SESSION_COOKIE = "parley_session";

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
