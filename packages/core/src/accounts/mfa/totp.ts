import { generateSecret, generateURI, verify } from "otplib";

/** The TOTP parameters every authenticator app understands (RFC 6238): SHA-1, 6 digits, 30 s. */
export const TOTP_PERIOD_SECONDS = 30;
/** Name shown in authenticator apps. */
export const TOTP_ISSUER = "Parley";

/** A new TOTP secret: 20 random bytes, base32 (what authenticator apps and otpauth:// URIs take). */
export const newTotpSecret = (): string => generateSecret({ length: 20 });

/** The otpauth:// URI an authenticator app scans (as a QR code) to add the account. */
export const otpauthUri = (accountLabel: string, secret: string): string =>
  generateURI({ issuer: TOTP_ISSUER, label: accountLabel, secret, period: TOTP_PERIOD_SECONDS });

/**
 * Checks a 6-digit code at `now`, accepting the previous, current and next time step (clock drift)
 * but none at or before `afterTimeStep` (the last accepted one: a code works once).
 * @returns the time step the code belongs to, or null when it does not match
 */
export async function verifyTotp(
  secret: string,
  code: string,
  now: Date,
  afterTimeStep: number | null,
): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOTP_PERIOD_SECONDS,
    period: TOTP_PERIOD_SECONDS,
    ...(afterTimeStep === null ? {} : { afterTimeStep }),
  });
  return result.valid && "timeStep" in result ? result.timeStep : null;
}
