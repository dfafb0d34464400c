import { describe, expect, it } from "vitest";
import { REDACTED, secretForms, secretRedactor } from "./secret-redaction";

const SECRET = "sk-live-SECRET-7f3a9c";

describe("secretRedactor", () => {
  const redact = secretRedactor([SECRET]);

  it.each([
    ["raw", SECRET],
    ["base64", Buffer.from(SECRET).toString("base64")],
    ["base64url", Buffer.from(SECRET).toString("base64url")],
    ["hex", Buffer.from(SECRET).toString("hex")],
    ["HEX", Buffer.from(SECRET).toString("hex").toUpperCase()],
    ["percent", encodeURIComponent(`a b/${SECRET}`)],
    ["JSON", JSON.stringify(`"${SECRET}"`)],
  ])("removes the %s form", (_form, text) => {
    const redacted = redact(`before ${text} after`);
    expect(redacted).toContain(REDACTED);
    expect(redacted).toMatch(/^before .*after$/);
    for (const form of secretForms(SECRET)) expect(redacted).not.toContain(form);
  });

  it("finds a secret inside a longer base64 value whatever its byte offset", () => {
    for (const prefix of ["", "B", "Be", "Bearer ", "authorization: Bearer "]) {
      for (const alphabet of ["base64", "base64url"] as const) {
        const encoded = Buffer.from(`${prefix}${SECRET}; more`).toString(alphabet);
        const redacted = redact(encoded);
        expect(redacted, `${alphabet} after ${JSON.stringify(prefix)}`).toContain(REDACTED);
        // What is left decodes to no more than a couple of the secret's characters on either side.
        expect(redacted.replace(REDACTED, "").length).toBeLessThan(encoded.length - SECRET.length);
      }
    }
  });

  it("leaves text without a secret alone, and redacts nothing for no secrets", () => {
    expect(redact("nothing to see")).toBe("nothing to see");
    expect(secretRedactor([])("sk-live")).toBe("sk-live");
  });
});
