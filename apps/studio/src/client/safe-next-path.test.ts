import { describe, expect, it } from "vitest";
import { DEFAULT_AFTER_SIGN_IN, safeNextPath } from "./safe-next-path";

const origin = "https://studio.example";

describe("safeNextPath (redirect after sign-in)", () => {
  it("keeps paths of this studio, with their query and fragment", () => {
    expect(safeNextPath("/bots/b1", origin)).toBe("/bots/b1");
    expect(safeNextPath("/invitation?token=abc", origin)).toBe("/invitation?token=abc");
    expect(safeNextPath("/audit#top", origin)).toBe("/audit#top");
    expect(safeNextPath("/", origin)).toBe("/");
  });

  it.each([
    "//evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "/%2F%2Fevil.example",
    "/%2fevil.example",
    "/%09/evil.example",
    "/%E0%A4%A",
    "\\\\evil.example",
    "https:evil.example",
    "https://evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\t/evil.example",
    "/\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/\r\n/evil.example",
    "///evil.example",
    "/\u0000/evil.example",
    "evil.example",
    "",
  ])("refuses %j", (payload) => {
    const result = safeNextPath(payload, origin);
    expect(result).toBe(DEFAULT_AFTER_SIGN_IN);
  });

  it("falls back when there is no next", () => {
    expect(safeNextPath(null, origin)).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(safeNextPath(undefined, origin)).toBe(DEFAULT_AFTER_SIGN_IN);
  });
});
