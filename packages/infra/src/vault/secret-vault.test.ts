import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateKeyringEntry, parseKeyring } from "./keyring";
import { createVault, secretBinding } from "./secret-vault";
import { VaultError } from "./vault-error";

const k1 = generateKeyringEntry("k1");
const k2 = generateKeyringEntry("k2");
const rowA = secretBinding({
  tenantId: "tenant-a",
  table: "Integration",
  rowId: "int_1",
  field: "credentials",
});
const rowB = secretBinding({
  tenantId: "tenant-b",
  table: "Integration",
  rowId: "int_1",
  field: "credentials",
});
const secret = JSON.stringify({ apiKey: "sk-live-SUPERSECRET-123", note: "ünïcødé ✓" });

function vaultError(run: () => unknown): VaultError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(VaultError);
    return error as VaultError;
  }
  throw new Error("expected a VaultError");
}

describe("secret vault", () => {
  it("round-trips a secret in the v1.<keyId>.<iv>.<tag>.<data> format", () => {
    const vault = createVault(parseKeyring(k1));
    const ciphertext = vault.encrypt(secret, rowA);
    expect(ciphertext).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(ciphertext).not.toContain("SUPERSECRET");
    expect(vault.decrypt(ciphertext, rowA)).toBe(secret);
    expect(vault.keyIdOf(ciphertext)).toBe("k1");
    expect(vault.decrypt(vault.encrypt("", rowA), rowA)).toBe("");
  });

  it("uses a fresh IV every time", () => {
    const vault = createVault(parseKeyring(k1));
    const seen = new Set(Array.from({ length: 50 }, () => vault.encrypt(secret, rowA).split(".")[2]));
    expect(seen.size).toBe(50);
  });

  it("does not decrypt a ciphertext copied to another tenant's row or another field", () => {
    const vault = createVault(parseKeyring(k1));
    const ciphertext = vault.encrypt(secret, rowA);
    const error = vaultError(() => vault.decrypt(ciphertext, rowB));
    expect(error.code).toBe("DECRYPTION_FAILED");
    expect(error.message).toContain("different record or field");
    const otherField = secretBinding({
      tenantId: "tenant-a",
      table: "Integration",
      rowId: "int_1",
      field: "webhookSecret",
    });
    expect(vaultError(() => vault.decrypt(ciphertext, otherField)).code).toBe("DECRYPTION_FAILED");
  });

  it("detects tampering with any part", () => {
    const vault = createVault(parseKeyring(k1));
    const parts = vault.encrypt(secret, rowA).split(".");
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(parts[index]!, "base64url");
      bytes[0]! ^= 0x01;
      const tampered = [...parts];
      tampered[index] = bytes.toString("base64url");
      expect(vaultError(() => vault.decrypt(tampered.join("."), rowA)).code).toBe("DECRYPTION_FAILED");
    }
  });

  it("authenticates the key id: relabelling a ciphertext to another key fails", () => {
    const vault = createVault(parseKeyring(`${k2},${k1}`));
    const [, , ...rest] = createVault(parseKeyring(k1)).encrypt(secret, rowA).split(".");
    expect(vaultError(() => vault.decrypt(["v1", "k2", ...rest].join("."), rowA)).code).toBe(
      "DECRYPTION_FAILED",
    );
  });

  it("names an unknown key id and the known ones", () => {
    const old = createVault(parseKeyring(k1)).encrypt(secret, rowA);
    const error = vaultError(() => createVault(parseKeyring(k2)).decrypt(old, rowA));
    expect(error.code).toBe("UNKNOWN_KEY_ID");
    expect(error.message).toContain('key id "k1"');
    expect(error.message).toContain("PARLEY_SECRET_KEY (known ids: k2)");
  });

  it("rejects malformed ciphertexts clearly", () => {
    const vault = createVault(parseKeyring(k1));
    for (const bad of ["", "garbage", "v2.k1.a.b.c", "v1.k1.***.b.c", "v1.k1.AAAA.AAAA.AAAA", "v1..a.b.c"]) {
      const error = vaultError(() => vault.decrypt(bad, rowA));
      expect(error.code).toBe("MALFORMED_CIPHERTEXT");
      expect(error.message).toContain('expected "v1.<keyId>.<iv>.<tag>.<data>"');
    }
  });

  it("requires associated data", () => {
    const vault = createVault(parseKeyring(k1));
    expect(vaultError(() => vault.encrypt(secret, "")).code).toBe("INVALID_INPUT");
    expect(() => secretBinding({ tenantId: "", table: "t", rowId: "r", field: "f" })).toThrow(
      'secret location "tenantId" must be a non-empty string',
    );
  });

  it("rotates to the current key and leaves current ciphertexts alone", () => {
    const before = createVault(parseKeyring(k1));
    const old = before.encrypt(secret, rowA);
    const after = createVault(parseKeyring(`${k2},${k1}`));
    expect(after.needsRotation(old)).toBe(true);
    expect(after.decrypt(old, rowA)).toBe(secret);
    const rotated = after.rotate(old, rowA);
    expect(after.keyIdOf(rotated)).toBe("k2");
    expect(after.needsRotation(rotated)).toBe(false);
    expect(after.rotate(rotated, rowA)).toBe(rotated);
    expect(createVault(parseKeyring(k2)).decrypt(rotated, rowA)).toBe(secret);
    // Rotation verifies first: a ciphertext bound elsewhere is not re-encrypted.
    expect(vaultError(() => after.rotate(old, rowB)).code).toBe("DECRYPTION_FAILED");
  });

  it("never puts secrets into error messages", () => {
    const vault = createVault(parseKeyring(k1));
    const ciphertext = vault.encrypt(secret, rowA);
    const keyMaterial = k1.split(":")[1]!;
    const messages = [
      vaultError(() => vault.decrypt(ciphertext, rowB)).message,
      vaultError(() => createVault(parseKeyring(k2)).decrypt(ciphertext, rowA)).message,
      vaultError(() => parseKeyring(`k1:${keyMaterial.slice(0, 30)}`)).message,
      vaultError(() => parseKeyring(`${k1},${k1}`)).message,
    ];
    for (const message of messages) {
      expect(message).not.toContain("SUPERSECRET");
      expect(message).not.toContain(keyMaterial);
      expect(message).not.toContain(keyMaterial.slice(0, 30));
    }
  });
});

describe("keyring parsing", () => {
  it("takes the first entry as current and keeps the others for decryption", () => {
    const ring = parseKeyring(` ${k2} , ${k1} `);
    expect(ring.current.id).toBe("k2");
    expect([...ring.keys.keys()]).toEqual(["k2", "k1"]);
  });

  it("accepts base64, base64url and hex keys, with or without an id", () => {
    const bytes = randomBytes(32);
    const ids = [
      parseKeyring(`b64:${bytes.toString("base64")}`).current.id,
      parseKeyring(`url:${bytes.toString("base64url")}`).current.id,
      parseKeyring(`hex:${bytes.toString("hex")}`).current.id,
    ];
    expect(ids).toEqual(["b64", "url", "hex"]);
    const bare = parseKeyring(bytes.toString("base64"));
    expect(bare.current.id).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(parseKeyring(bytes.toString("hex")).current.id).toBe(bare.current.id);
    expect(parseKeyring(randomBytes(32).toString("base64")).current.id).not.toBe(bare.current.id);
  });

  it("decrypts with the same key however it was written", () => {
    const bytes = randomBytes(32);
    const ciphertext = createVault(parseKeyring(`k:${bytes.toString("base64")}`)).encrypt("x", rowA);
    expect(createVault(parseKeyring(`k:${bytes.toString("hex")}`)).decrypt(ciphertext, rowA)).toBe("x");
  });

  it("names the variable and entry of a malformed key", () => {
    expect(() => parseKeyring(undefined)).toThrow("PARLEY_SECRET_KEY is empty");
    expect(() => parseKeyring(`${k1},k2:short`)).toThrow("PARLEY_SECRET_KEY entry 2 of 2 is not a valid key");
    expect(() => parseKeyring(`${k1},`)).toThrow("PARLEY_SECRET_KEY entry 2 of 2 is empty");
    expect(() => parseKeyring(`bad id!:${randomBytes(32).toString("hex")}`)).toThrow("has an invalid key id");
    expect(() => parseKeyring(`${k1},${k1}`)).toThrow('repeats key id "k1"');
    expect(() => parseKeyring(`k:${randomBytes(31).toString("hex")}00`, "MY_KEY")).not.toThrow();
    expect(() => parseKeyring(`k:${randomBytes(16).toString("base64")}`, "MY_KEY")).toThrow(
      "MY_KEY entry 1 of 1",
    );
    expect(vaultError(() => parseKeyring("nope")).code).toBe("MALFORMED_KEY");
  });

  it("does not reveal key material when a keyring is logged", () => {
    const ring = parseKeyring(k1);
    const material = k1.split(":")[1]!;
    expect(JSON.stringify(ring.current)).not.toContain(material);
    expect(String(ring.current.key)).not.toContain(material);
  });
});
