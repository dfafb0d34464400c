import { describe, expect, it } from "vitest";
import { hashPassword, passwordNeedsRehash, verifyPassword } from "./passwords";

describe("passwords (argon2id)", () => {
  it("hashes with argon2id and verifies only the right password", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("salts: the same password hashes differently each time", async () => {
    const [a, b] = await Promise.all([hashPassword("same"), hashPassword("same")]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same", a)).toBe(true);
    expect(await verifyPassword("same", b)).toBe(true);
  });

  it("returns false for a missing account after doing comparable work", async () => {
    const stored = await hashPassword("warm-up");
    await verifyPassword("x", undefined);
    const t0 = performance.now();
    await verifyPassword("guess", stored);
    const real = performance.now() - t0;
    const t1 = performance.now();
    expect(await verifyPassword("guess", undefined)).toBe(false);
    const dummy = performance.now() - t1;
    expect(dummy).toBeGreaterThan(real / 4);
  });

  it("refuses unusable input clearly", async () => {
    await expect(hashPassword("")).rejects.toThrow("password must be a non-empty string");
    await expect(hashPassword("x".repeat(1_025))).rejects.toThrow("longer than 1024 characters");
    const stored = await hashPassword("pw");
    await expect(verifyPassword(stored, "pw")).rejects.toThrow(
      "stored password hash is not an argon2id hash",
    );
    await expect(verifyPassword("pw", "$argon2id$garbage")).rejects.toThrow(
      "stored password hash is malformed",
    );
  });

  it("flags hashes made with other parameters for rehashing", async () => {
    expect(passwordNeedsRehash(await hashPassword("pw"))).toBe(false);
    const weaker =
      "$argon2id$v=19$m=4096,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$3N2cF2W0oJ7u2UjUB2gq6w5Ww6oXz3s+7q0hKc0Q0eQ";
    expect(passwordNeedsRehash(weaker)).toBe(true);
    expect(passwordNeedsRehash("not a hash")).toBe(true);
  });
});
