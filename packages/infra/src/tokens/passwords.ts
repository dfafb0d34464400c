import { type Algorithm, hash, parseOptions, verify } from "@node-rs/argon2";
import { InfraError } from "../internal/infra-error";

/**
 * Password hashing with argon2id (OWASP's minimum: 19 MiB memory, 2 passes, 1 lane), as a PHC
 * string (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`) that carries its own parameters.
 */

// Algorithm is an ambient const enum (unusable under isolatedModules); 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;
const POLICY = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
/** Longest password accepted; beyond it hashing is just a way to burn CPU. */
const MAX_PASSWORD_LENGTH = 1_024;

let dummyHash: Promise<string> | undefined;

/**
 * Hashes a password for storage.
 * @throws InfraError `INVALID_PASSWORD` for an empty or over-long password (policy on strength is the caller's)
 */
export async function hashPassword(password: string): Promise<string> {
  assertPassword(password);
  return hash(password, POLICY);
}

/**
 * Checks `password` against a stored hash. Pass `undefined` when the account does not exist: the
 * check then runs against a dummy hash and returns `false`, so response time does not reveal
 * which email addresses have accounts.
 * @throws InfraError `INVALID_PASSWORD_HASH` when `storedHash` is not an argon2id PHC string
 *   (a damaged row, or the arguments swapped)
 */
export async function verifyPassword(password: string, storedHash: string | undefined): Promise<boolean> {
  if (typeof password !== "string" || password.length === 0 || password.length > MAX_PASSWORD_LENGTH)
    return false;
  if (storedHash === undefined) {
    dummyHash ??= hash("parley-dummy-password", POLICY);
    await verify(await dummyHash, password);
    return false;
  }
  if (!storedHash.startsWith("$argon2id$")) {
    throw new InfraError("INVALID_PASSWORD_HASH", "stored password hash is not an argon2id hash");
  }
  try {
    return await verify(storedHash, password);
  } catch {
    throw new InfraError("INVALID_PASSWORD_HASH", "stored password hash is malformed");
  }
}

/**
 * Whether a stored hash was made with weaker or different parameters than the current policy;
 * rehash with {@link hashPassword} after the next successful sign-in.
 */
export function passwordNeedsRehash(storedHash: string): boolean {
  try {
    const used = parseOptions(storedHash);
    return (
      used.algorithm !== POLICY.algorithm ||
      used.memoryCost !== POLICY.memoryCost ||
      used.timeCost !== POLICY.timeCost ||
      used.parallelism !== POLICY.parallelism
    );
  } catch {
    return true;
  }
}

function assertPassword(password: unknown): void {
  if (typeof password !== "string" || password.length === 0) {
    throw new InfraError("INVALID_PASSWORD", "password must be a non-empty string");
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new InfraError("INVALID_PASSWORD", `password is longer than ${MAX_PASSWORD_LENGTH} characters`);
  }
}
