import { createHmac, createSecretKey, type KeyObject, randomBytes } from "node:crypto";
import { VaultError } from "./vault-error";

/**
 * Keyring format (the value of `PARLEY_SECRET_KEY`):
 *
 *   <entry>[,<entry>...]      the FIRST entry is the current key: new ciphertexts use it;
 *                             the others only decrypt (keep them until every row is rotated)
 *   <entry> = <keyId>:<key>   keyId: 1-32 of [A-Za-z0-9_-], e.g. "2025-06" or "k2"
 *           | <key>           a bare key; its id is derived from the key (8 characters)
 *   <key>   = 32 random bytes as base64 / base64url (43-44 chars) or hex (64 chars)
 *
 * Example: `PARLEY_SECRET_KEY=k2:Vh2...,k1:q8Z...` (rotating from k1 to k2).
 * Generate an entry with `generateKeyringEntry("k2")` or `openssl rand -base64 32`.
 */

/** One key of the ring. The key material is a KeyObject, which prints as nothing in logs. */
export interface KeyringKey {
  readonly id: string;
  readonly key: KeyObject;
}

/** The parsed keyring: the current key encrypts, every key decrypts. */
export interface Keyring {
  /** The key new ciphertexts are made with. */
  readonly current: KeyringKey;
  /** Every key by id, the current one included. */
  readonly keys: ReadonlyMap<string, KeyringKey>;
  /** Where the keyring came from (variable or file name), for error messages. */
  readonly source: string;
}

const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const KEY_BYTES = 32;

/**
 * Parses a keyring in the format above.
 * @param variable what to call the value in errors (the env variable or file it came from)
 * @throws VaultError `MALFORMED_KEY` naming `variable` and the entry's position, never its content
 */
export function parseKeyring(value: string | undefined, variable = "PARLEY_SECRET_KEY"): Keyring {
  if (value === undefined || value.trim() === "") {
    throw new VaultError(
      "MALFORMED_KEY",
      `${variable} is empty; expected "<keyId>:<32-byte base64 key>[,...]"`,
    );
  }
  const keys = new Map<string, KeyringKey>();
  const entries = value.split(",").map((entry) => entry.trim());
  entries.forEach((entry, index) => {
    const where = `${variable} entry ${index + 1} of ${entries.length}`;
    if (entry === "") throw new VaultError("MALFORMED_KEY", `${where} is empty (stray comma?)`);
    const separator = entry.indexOf(":");
    const material = decodeKey(separator === -1 ? entry : entry.slice(separator + 1), where);
    const id = separator === -1 ? deriveKeyId(material) : entry.slice(0, separator);
    if (!KEY_ID_PATTERN.test(id)) {
      throw new VaultError(
        "MALFORMED_KEY",
        `${where} has an invalid key id: use 1-32 letters, digits, '_' or '-'`,
      );
    }
    if (keys.has(id)) throw new VaultError("MALFORMED_KEY", `${where} repeats key id "${id}"`);
    keys.set(id, { id, key: createSecretKey(material) });
    material.fill(0);
  });
  const current = keys.values().next().value!;
  return { current, keys, source: variable };
}

/**
 * A fresh keyring entry `<keyId>:<base64url key>` to put first in `PARLEY_SECRET_KEY`.
 * @throws VaultError `MALFORMED_KEY` when `keyId` is not a valid key id
 */
export function generateKeyringEntry(keyId: string): string {
  if (!KEY_ID_PATTERN.test(keyId)) {
    throw new VaultError(
      "MALFORMED_KEY",
      `key id "${keyId}" is invalid: use 1-32 letters, digits, '_' or '-'`,
    );
  }
  return `${keyId}:${randomBytes(KEY_BYTES).toString("base64url")}`;
}

function decodeKey(text: string, where: string): Buffer {
  const expected = "32 random bytes as base64 (44 chars), base64url (43 chars) or hex (64 chars)";
  let bytes: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(text)) bytes = Buffer.from(text, "hex");
  // Node's base64 decoder accepts the URL-safe alphabet as well.
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) bytes = Buffer.from(text, "base64");
  if (!bytes || bytes.length !== KEY_BYTES) {
    throw new VaultError("MALFORMED_KEY", `${where} is not a valid key: expected ${expected}`);
  }
  return bytes;
}

/** Id for a bare key: a keyed hash of the key itself, so it is stable and reveals nothing. */
function deriveKeyId(material: Buffer): string {
  return createHmac("sha256", material).update("parley/vault/key-id").digest("base64url").slice(0, 8);
}
