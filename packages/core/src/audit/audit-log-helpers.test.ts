import { describe, expect, it } from "vitest";
import { csvField } from "./csv";
import { redactSecrets } from "./redaction";

describe("audit log helpers", () => {
  it("quotes CSV fields and defuses spreadsheet formulas", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField({ a: 1 })).toBe('"{""a"":1}"');
    expect(csvField(null)).toBe("");
  });

  it("redacts secret-looking keys at any depth", () => {
    expect(redactSecrets({ name: "k", keyHash: "abc", nested: [{ password: "p", ok: 1 }] })).toEqual({
      name: "k",
      keyHash: "[redacted]",
      nested: [{ password: "[redacted]", ok: 1 }],
    });
  });
});
