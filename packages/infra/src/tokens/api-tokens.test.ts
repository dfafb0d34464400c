import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  generatePublishableKey,
  generateSecretApiKey,
  generateSessionToken,
  hashToken,
  safeEqual,
  tokenKindOf,
} from "./api-tokens";

describe("API tokens", () => {
  it("generates sk_/pk_/ses_ tokens with a display prefix and a SHA-256 hash", () => {
    const secret = generateSecretApiKey();
    expect(secret.key).toMatch(/^sk_[0-9A-Za-z]{40}$/);
    expect(secret.prefix).toBe(secret.key.slice(0, 11));
    expect(secret.hash).toBe(createHash("sha256").update(secret.key).digest("hex"));
    expect(generatePublishableKey().key).toMatch(/^pk_[0-9A-Za-z]{40}$/);
    expect(generateSessionToken().key).toMatch(/^ses_[0-9A-Za-z]{40}$/);
  });

  it("never repeats and spreads characters evenly", () => {
    const keys = Array.from({ length: 2_000 }, () => generateSecretApiKey().key.slice(3));
    expect(new Set(keys).size).toBe(keys.length);
    const counts = new Map<string, number>();
    for (const key of keys) for (const char of key) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(62);
    const expected = (keys.length * 40) / 62;
    for (const count of counts.values()) expect(Math.abs(count - expected) / expected).toBeLessThan(0.15);
  });

  it("hashes a presented token to the stored hash", () => {
    const { key, hash } = generateSecretApiKey();
    expect(hashToken(key)).toBe(hash);
    expect(hashToken(`${key}x`)).not.toBe(hash);
  });

  it("recognises well-formed tokens only", () => {
    expect(tokenKindOf(generateSecretApiKey().key)).toBe("secret");
    expect(tokenKindOf(generatePublishableKey().key)).toBe("publishable");
    expect(tokenKindOf(generateSessionToken().key)).toBe("session");
    expect(tokenKindOf("sk_short")).toBeUndefined();
    expect(tokenKindOf(`xx_${"a".repeat(40)}`)).toBeUndefined();
    expect(tokenKindOf(` ${generateSecretApiKey().key}`)).toBeUndefined();
  });

  it("compares secrets of any length", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
    expect(safeEqual("", "")).toBe(true);
  });
});
