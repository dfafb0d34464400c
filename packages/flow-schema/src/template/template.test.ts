import { describe, expect, it } from "vitest";
import { lookupPath } from "./lookup";
import { parseTemplate, templateVariablePaths } from "./parse";
import { renderTemplate } from "./render";
import { stringifyTemplateValue } from "./stringify";

describe("parseTemplate", () => {
  it("splits text and placeholders, trimming whitespace inside the braces", () => {
    const parsed = parseTemplate("Hi {{ name }}, your {{order.size}} pizza");
    expect(parsed.errors).toEqual([]);
    expect(parsed.parts).toEqual([
      { type: "text", text: "Hi " },
      { type: "path", path: "name", segments: ["name"], start: 3, end: 13 },
      { type: "text", text: ", your " },
      { type: "path", path: "order.size", segments: ["order", "size"], start: 20, end: 34 },
      { type: "text", text: " pizza" },
    ]);
  });

  it("handles text without placeholders and the empty template", () => {
    expect(parseTemplate("plain").parts).toEqual([{ type: "text", text: "plain" }]);
    expect(parseTemplate("").parts).toEqual([]);
  });

  it("reports malformed placeholders and keeps them as text", () => {
    const parsed = parseTemplate("a {{ }} b {{ x y }} c {{ $eval }} d");
    expect(parsed.errors.map((error) => error.start)).toEqual([2, 10, 22]);
    expect(parsed.errors[0]?.message).toContain("empty placeholder");
    expect(parsed.errors[1]?.message).toContain("not a variable path");
    expect(parsed.parts).toEqual([{ type: "text", text: "a {{ }} b {{ x y }} c {{ $eval }} d" }]);
  });

  it("reports an unclosed placeholder", () => {
    const parsed = parseTemplate("Hello {{ name");
    expect(parsed.errors).toEqual([{ message: 'unclosed "{{" at offset 6', start: 6 }]);
    expect(parsed.parts).toEqual([{ type: "text", text: "Hello {{ name" }]);
  });

  it("accepts array indexes and system paths", () => {
    expect(templateVariablePaths("{{ items.0.name }} via {{ sys.channel }}")).toEqual([
      "items.0.name",
      "sys.channel",
    ]);
  });

  it("treats a stray closing brace as text", () => {
    expect(parseTemplate("}} {{a}} }}").parts.map((part) => part.type)).toEqual(["text", "path", "text"]);
  });
});

describe("templateVariablePaths", () => {
  it("lists distinct paths in order of first use", () => {
    expect(templateVariablePaths("{{ b }} {{ a.x }} {{b}} {{ a.x }} {{ a }}")).toEqual(["b", "a.x", "a"]);
  });
  it("ignores malformed placeholders", () => {
    expect(templateVariablePaths("{{ 1abc }} {{ ok }}")).toEqual(["ok"]);
  });
});

describe("lookupPath", () => {
  const variables = { order: { items: [{ name: "margherita" }], size: "large" }, empty: null };

  it("follows object keys and array indexes", () => {
    expect(lookupPath(variables, "order.items.0.name")).toBe("margherita");
    expect(lookupPath(variables, ["order", "size"])).toBe("large");
  });

  it("gives undefined for missing or non-own properties", () => {
    expect(lookupPath(variables, "order.missing.deep")).toBeUndefined();
    expect(lookupPath(variables, "empty.x")).toBeUndefined();
    expect(lookupPath(variables, "order.constructor")).toBeUndefined();
    expect(lookupPath(variables, "order.__proto__")).toBeUndefined();
    expect(lookupPath(variables, "order.items.length")).toBeUndefined();
    expect(lookupPath(variables, "order.size.length")).toBeUndefined();
  });
});

describe("stringifyTemplateValue", () => {
  it("renders scalars", () => {
    expect(stringifyTemplateValue("text")).toBe("text");
    expect(stringifyTemplateValue(42.5)).toBe("42.5");
    expect(stringifyTemplateValue(false)).toBe("false");
    expect(stringifyTemplateValue(10n)).toBe("10");
    expect(stringifyTemplateValue(new Date("2025-01-31T10:00:00Z"))).toBe("2025-01-31T10:00:00.000Z");
  });

  it("renders nothing for missing and unrenderable values", () => {
    for (const value of [
      undefined,
      null,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      () => 1,
      Symbol("s"),
      new Date("x"),
    ]) {
      expect(stringifyTemplateValue(value)).toBe("");
    }
  });

  it("joins lists of scalars and writes structures as JSON", () => {
    expect(stringifyTemplateValue(["a", 1, true])).toBe("a, 1, true");
    expect(stringifyTemplateValue([{ a: 1 }])).toBe('[{"a":1}]');
    expect(stringifyTemplateValue({ a: [1, 2], b: "x" })).toBe('{"a":[1,2],"b":"x"}');
  });

  it("survives cycles and bigints inside objects", () => {
    const cyclic: Record<string, unknown> = { name: "loop", big: 5n };
    cyclic.self = cyclic;
    expect(stringifyTemplateValue(cyclic)).toBe('{"name":"loop","big":"5","self":"[Circular]"}');
  });

  it("does not mistake a repeated (non-cyclic) reference for a cycle", () => {
    const shared = { v: 1 };
    expect(stringifyTemplateValue({ a: shared, b: shared })).toBe('{"a":{"v":1},"b":{"v":1}}');
  });
});

describe("renderTemplate", () => {
  const variables = { name: "Ada", order: { size: "large", toppings: ["ham", "olives"] }, count: 0 };

  it("substitutes paths", () => {
    expect(renderTemplate("Hi {{ name }}, a {{ order.size }} with {{ order.toppings }}", variables)).toBe(
      "Hi Ada, a large with ham, olives",
    );
  });

  it("renders missing values as empty strings and keeps zero", () => {
    expect(renderTemplate("[{{ nope }}][{{ order.nope.deep }}][{{ count }}]", variables)).toBe("[][][0]");
  });

  it("keeps malformed placeholders as literal text", () => {
    expect(renderTemplate("{{ name }} {{ }} {{ name", variables)).toBe("Ada {{ }} {{ name");
  });

  it("accepts a parsed template", () => {
    const parsed = parseTemplate("{{ name }}!");
    expect(renderTemplate(parsed, { name: "Grace" })).toBe("Grace!");
  });

  it("escapes substituted values only", () => {
    const jsonEscape = (text: string) => JSON.stringify(text).slice(1, -1);
    expect(
      renderTemplate('{"name": "{{ name }}"}', { name: 'A "quoted" name' }, { escape: jsonEscape }),
    ).toBe('{"name": "A \\"quoted\\" name"}');
  });

  it("does not run code or reach prototypes", () => {
    expect(renderTemplate("{{ constructor }}{{ name.constructor }}", { name: "x" })).toBe("");
  });

  it("cuts the output to maxLength", () => {
    expect(renderTemplate("{{ name }}{{ name }}{{ name }}", { name: "abcd" }, { maxLength: 6 })).toBe(
      "abcdab",
    );
  });

  it("renders against a non-object without throwing", () => {
    expect(renderTemplate("x{{ a }}y", null)).toBe("xy");
    expect(renderTemplate("x{{ a }}y", "str")).toBe("xy");
  });
});
