import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { Keyring, KeyringKey } from "./keyring";
import { VaultError } from "./vault-error";

/**
 * Encrypts tenant secrets (integration credentials, channel tokens) for storage in the database.
 *
 * Ciphertext format: `v1.<keyId>.<iv>.<tag>.<data>` (base64url parts): AES-256-GCM with a random
 * 96-bit IV. The associated data binds a ciphertext to where it is stored: the same bytes copied
 * to another tenant's row, or to another field, do not decrypt.
 */
export interface SecretVault {
  /**
   * Encrypts `plaintext` under the current key, bound to `associatedData`
   * (use {@link secretBinding} to build it).
   */
  encrypt(plaintext: string, associatedData: string): string;
  /**
   * Decrypts a ciphertext made by {@link SecretVault.encrypt} with the same `associatedData`.
   * @throws VaultError `MALFORMED_CIPHERTEXT`, `UNKNOWN_KEY_ID` or `DECRYPTION_FAILED`
   */
  decrypt(ciphertext: string, associatedData: string): string;
  /**
   * Re-encrypts under the current key (verifying it first). A ciphertext already under the current
   * key comes back unchanged, so a rotation job can run over every row repeatedly.
   */
  rotate(ciphertext: string, associatedData: string): string;
  /** Whether `ciphertext` is under a key other than the current one. */
  needsRotation(ciphertext: string): boolean;
  /** The key id a ciphertext was made with. */
  keyIdOf(ciphertext: string): string;
}

/** Where a secret is stored; every part goes into the associated data. */
export interface SecretLocation {
  tenantId: string;
  /** Table or model, e.g. `Integration`. */
  table: string;
  /** Primary key of the row. */
  rowId: string;
  /** Column or JSON field, e.g. `credentials`. */
  field: string;
}

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Canonical associated data for a stored secret: an unambiguous encoding of tenant, table, row and
 * field (JSON array, so no separator inside a value can make two locations collide).
 * @throws VaultError `INVALID_INPUT` when a part is empty
 */
export function secretBinding(location: SecretLocation): string {
  for (const [name, value] of Object.entries(location)) {
    if (typeof value !== "string" || value === "") {
      throw new VaultError("INVALID_INPUT", `secret location "${name}" must be a non-empty string`);
    }
  }
  return JSON.stringify([location.tenantId, location.table, location.rowId, location.field]);
}

/** A {@link SecretVault} over `keyring`. */
export function createVault(keyring: Keyring): SecretVault {
  const keyFor = (keyId: string): KeyringKey => {
    const key = keyring.keys.get(keyId);
    if (!key) {
      throw new VaultError(
        "UNKNOWN_KEY_ID",
        `ciphertext was encrypted with key id "${keyId}", which is not in ${keyring.source} ` +
          `(known ids: ${[...keyring.keys.keys()].join(", ")}); add that key back as a non-current entry`,
      );
    }
    return key;
  };

  const vault: SecretVault = {
    encrypt(plaintext, associatedData) {
      assertString(plaintext, "plaintext");
      assertAssociatedData(associatedData);
      const { id, key } = keyring.current;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aadFor(id, associatedData));
      const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [
        VERSION,
        id,
        iv.toString("base64url"),
        tag.toString("base64url"),
        data.toString("base64url"),
      ].join(".");
    },

    decrypt(ciphertext, associatedData) {
      assertAssociatedData(associatedData);
      const parts = parse(ciphertext);
      const { key } = keyFor(parts.keyId);
      const decipher = createDecipheriv("aes-256-gcm", key, parts.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aadFor(parts.keyId, associatedData));
      decipher.setAuthTag(parts.tag);
      try {
        return Buffer.concat([decipher.update(parts.data), decipher.final()]).toString("utf8");
      } catch {
        throw new VaultError(
          "DECRYPTION_FAILED",
          `ciphertext under key id "${parts.keyId}" failed authentication: it was altered, it belongs to ` +
            `a different record or field, or ${keyring.source} holds a different key under that id`,
        );
      }
    },

    rotate(ciphertext, associatedData) {
      const plaintext = vault.decrypt(ciphertext, associatedData);
      if (parse(ciphertext).keyId === keyring.current.id) return ciphertext;
      return vault.encrypt(plaintext, associatedData);
    },

    needsRotation(ciphertext) {
      return parse(ciphertext).keyId !== keyring.current.id;
    },

    keyIdOf(ciphertext) {
      return parse(ciphertext).keyId;
    },
  };
  return vault;
}

interface CiphertextParts {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  data: Buffer;
}

function parse(ciphertext: string): CiphertextParts {
  const malformed = (problem: string) =>
    new VaultError(
      "MALFORMED_CIPHERTEXT",
      `ciphertext is malformed (${problem}); expected "v1.<keyId>.<iv>.<tag>.<data>"`,
    );
  if (typeof ciphertext !== "string") throw malformed(`got ${typeof ciphertext}`);
  const parts = ciphertext.split(".");
  if (parts.length !== 5) throw malformed(`${parts.length} dot-separated parts instead of 5`);
  const [version, keyId, iv, tag, data] = parts as [string, string, string, string, string];
  if (version !== VERSION) throw malformed("unknown version");
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(keyId)) throw malformed("invalid key id");
  const base64url = /^[A-Za-z0-9_-]*$/;
  if (![iv, tag, data].every((part) => base64url.test(part))) throw malformed("a part is not base64url");
  const parsed = {
    keyId,
    iv: Buffer.from(iv, "base64url"),
    tag: Buffer.from(tag, "base64url"),
    data: Buffer.from(data, "base64url"),
  };
  if (parsed.iv.length !== IV_BYTES) throw malformed("wrong IV length");
  if (parsed.tag.length !== TAG_BYTES) throw malformed("wrong tag length");
  return parsed;
}

/** The key id is authenticated too, so a ciphertext cannot be relabelled to another key. */
function aadFor(keyId: string, associatedData: string): Buffer {
  return Buffer.from(`parley-vault:${VERSION}:${keyId}:${associatedData}`, "utf8");
}

function assertString(value: unknown, name: string): void {
  if (typeof value !== "string")
    throw new VaultError("INVALID_INPUT", `${name} must be a string, got ${typeof value}`);
}

function assertAssociatedData(value: unknown): void {
  if (typeof value !== "string" || value === "") {
    throw new VaultError(
      "INVALID_INPUT",
      "associated data must be a non-empty string naming where the secret is stored (see secretBinding)",
    );
  }
}
