import { hashToken, type Infrastructure, type RateLimiter } from "@parley/infra";

/** Account mails (password reset, sign-up) per e-mail address: 3 an hour. */
export const MAILS_PER_ADDRESS_PER_HOUR = 3;
/** Account mails requested from one client address: 10 an hour. */
export const MAILS_PER_CLIENT_PER_HOUR = 10;

/** Which mail: each kind has its own counters. */
export type AccountMailKind = "password-reset" | "sign-up";

const limiters = new WeakMap<Infrastructure, Map<string, RateLimiter>>();

function limiterOf(infra: Infrastructure, name: string, points: number): RateLimiter {
  let byName = limiters.get(infra);
  if (!byName) {
    byName = new Map();
    limiters.set(infra, byName);
  }
  let limiter = byName.get(name);
  if (!limiter) {
    limiter = infra.rateLimiter({ name, points, durationSeconds: 60 * 60 });
    byName.set(name, limiter);
  }
  return limiter;
}

/**
 * Whether another `kind` mail may go to `email` for a request from `ipAddress` (null: unknown).
 * Counts the request either way; the caller answers the same whatever this says (no enumeration),
 * and simply sends nothing when it says no.
 */
export async function mayMail(
  infra: Infrastructure,
  kind: AccountMailKind,
  email: string,
  ipAddress: string | null,
): Promise<boolean> {
  const byAddress = ipAddress
    ? await limiterOf(infra, `${kind}-mail-client`, MAILS_PER_CLIENT_PER_HOUR).consume(hashToken(ipAddress))
    : null;
  if (byAddress && !byAddress.allowed) return false;
  const byEmail = await limiterOf(infra, `${kind}-mail-address`, MAILS_PER_ADDRESS_PER_HOUR).consume(
    hashToken(email.toLowerCase()),
  );
  return byEmail.allowed;
}
