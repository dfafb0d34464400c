import { describe, expect, it } from "vitest";
import { applySuggestion, filterSuggestions, templateQueryAt, variableSuggestions } from "./autocomplete";

describe("template autocomplete", () => {
  it("finds the open placeholder at the caret", () => {
    expect(templateQueryAt("Hi {{ na", 8)).toEqual({ from: 5, text: "na" });
    expect(templateQueryAt("Hi {{", 5)).toEqual({ from: 5, text: "" });
    expect(templateQueryAt("Hi {{ name }} x", 15)).toBeNull();
    expect(templateQueryAt("Hi {{ a b", 9)).toBeNull();
    expect(templateQueryAt("plain", 5)).toBeNull();
  });

  it("offers declared variables before system ones, prefix matches first", () => {
    const all = variableSuggestions({ variables: [{ name: "name", type: "string", scope: "conversation" }] });
    expect(all[0]?.path).toBe("name");
    expect(all.some((s) => s.path === "sys.lastUserMessage")).toBe(true);
    const found = filterSuggestions(all, "na");
    expect(found[0]?.path).toBe("name");
    expect(found.map((s) => s.path)).toContain("sys.contactName");
  });

  it("completes and closes the placeholder, or reuses existing braces", () => {
    const open = templateQueryAt("Hi {{ na", 8);
    if (!open) throw new Error("no query");
    expect(applySuggestion("Hi {{ na", 8, open, "name")).toEqual({ text: "Hi {{ name }}", caret: 13 });
    const closed = templateQueryAt("Hi {{na}}!", 7);
    if (!closed) throw new Error("no query");
    expect(applySuggestion("Hi {{na}}!", 7, closed, "name")).toEqual({ text: "Hi {{ name }}!", caret: 13 });
  });
});
