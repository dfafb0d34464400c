import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Bearer tokens: secret API keys (`sk_`), publishable widget keys (`pk_`) and session tokens
 * (`ses_`). A token is shown once; the database keeps only its SHA-256 hash (looked up directly,
 * so a unique index on the hash finds the key) and a short display prefix.
 *
 * SHA-256 rather than a slow password hash is deliberate: tokens carry ~238 bits of randomness,
 * so there is nothing to brute-force, and every request must verify one quickly.
 */

/** Which kind of token; decides the visible prefix. */
export type TokenKind = "secret" | "publishable" | "session";

/** A newly generated token. Show `key` once; store `hash` and `prefix`. */
export interface GeneratedToken {
  /** The full token, e.g. `sk_4hT9...` (46 characters for API keys). */
  key: string;
  /** Kind prefix plus the first 8 body characters, e.g. `sk_4hT9xQ2b`, to tell keys apart in a list. */
  prefix: string;
  /** Lower-case hex SHA-256 of `key`: what to store and look up by. */
  hash: string;
}

const KIND_PREFIX: Record<TokenKind, string> = { secret: "sk", publishable: "pk", session: "ses" };
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BODY_LENGTH = 40;
const DISPLAY_CHARS = 8;
const TOKEN_PATTERN = new RegExp(`^(sk|pk|ses)_[0-9A-Za-z]{${BODY_LENGTH}}$`);

/** A fresh token of `kind`, with its display prefix and hash. */
export function generateToken(kind: TokenKind): GeneratedToken {
  const body = randomBase62(BODY_LENGTH);
  const key = `${KIND_PREFIX[kind]}_${body}`;
  return { key, prefix: `${KIND_PREFIX[kind]}_${body.slice(0, DISPLAY_CHARS)}`, hash: hashToken(key) };
}

/** A secret API key (`sk_...`) for server-to-server use. */
export function generateSecretApiKey(): GeneratedToken {
  return generateToken("secret");
}

/** A publishable widget key (`pk_...`); public by design, limited to a bot's allowed origins. */
export function generatePublishableKey(): GeneratedToken {
  return generateToken("publishable");
}

/** A session token (`ses_...`) for a signed-in user. */
export function generateSessionToken(): GeneratedToken {
  return generateToken("session");
}

/** The stored form of a presented token: lower-case hex SHA-256. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * The kind of a well-formed token, or `undefined` for anything else; lets a server reject garbage
 * (and tell "wrong kind of key" apart) before a database lookup.
 */
export function tokenKindOf(token: string): TokenKind | undefined {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return undefined;
  return match[1] === "sk" ? "secret" : match[1] === "pk" ? "publishable" : "session";
}

/**
 * Compares two secrets in constant time (for their length: both are hashed first, so neither
 * the content nor the length of the expected value leaks through timing).
 */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

/** Uniform base62 characters from rejection sampling (bytes >= 248 would bias the modulo). */
function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}
