import { describe, expect, it } from "vitest";
import { formErrorMap } from "../../components/ui/form-controls";
import { type ApiKeyValues, apiKeyFieldOf, apiKeyForm, endOfDay, rangesOf } from "./api-key-form";

/** The form's problems by field path, in the words the form shows (its resolver's error map). */
function problemsOf(values: ApiKeyValues): Record<string, string> {
  const result = apiKeyForm.safeParse(values, { error: formErrorMap });
  return Object.fromEntries(
    (result.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]),
  );
}

const blank: ApiKeyValues = { name: "CI", scopes: ["conversations:write"], expiresAt: "", allowedCidrs: "" };

describe("new API key form", () => {
  it("gives the contract's create input: no expiry when no day is chosen, the ranges as a list", () => {
    expect(apiKeyForm.parse(blank)).toEqual({
      name: "CI",
      scopes: ["conversations:write"],
      expiresAt: undefined,
      allowedCidrs: [],
    });
    const parsed = apiKeyForm.parse({
      ...blank,
      expiresAt: "2999-03-31",
      allowedCidrs: "203.0.113.0/24,\n 2001:db8::/32  10.0.0.1",
    });
    expect(parsed.expiresAt).toBe(new Date("2999-03-31T23:59:59").toISOString());
    expect(parsed.allowedCidrs).toEqual(["203.0.113.0/24", "2001:db8::/32", "10.0.0.1"]);
  });

  it("shows each problem on its field, in readable words", () => {
    expect(
      problemsOf({
        name: " ",
        scopes: [],
        expiresAt: "2001-01-01",
        allowedCidrs: `10.0.0.0/8 ${"1".repeat(65)}`,
      }),
    ).toEqual({
      name: "is required",
      scopes: "choose at least one",
      expiresAt: "the expiry must be in the future",
      allowedCidrs: `${"1".repeat(65)}: must have at most 64 characters`,
    });
  });

  it("reads days and ranges as typed", () => {
    expect(endOfDay("not a day")).toBe("not a day");
    expect(rangesOf(" , \n")).toEqual([]);
  });

  it("puts the server's problems on the fields (a range's on the ranges), the rest on the banner", () => {
    expect(apiKeyFieldOf("allowedCidrs.2")).toBe("allowedCidrs");
    expect(apiKeyFieldOf("scopes.0")).toBe("scopes");
    expect(apiKeyFieldOf("expiresAt")).toBe("expiresAt");
    expect(apiKeyFieldOf("name")).toBe("name");
    expect(apiKeyFieldOf("")).toBeUndefined();
    expect(apiKeyFieldOf("tenantId")).toBeUndefined();
  });
});
