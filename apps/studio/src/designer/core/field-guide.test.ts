import { nodeKinds } from "@parley/flow-schema";
import { describe, expect, it } from "vitest";
import { fieldGuides, guideFor, guidePattern } from "./field-guide";
import { formFields } from "./form-paths";

// The condition node has its own editor in words (condition-editor.tsx); every other kind is a schema form.
const schemaFormKinds = nodeKinds.filter((kind) => kind !== "condition");

describe("the inspector's words (field guide)", () => {
  it("has a label and help text for every field of every kind, and words for every choice", () => {
    for (const kind of schemaFormKinds) {
      for (const field of formFields(kind)) {
        const guide = fieldGuides[kind]?.[field.pattern];
        expect(guide, `${kind}: ${field.pattern}`).toBeDefined();
        expect(guide?.label.trim(), `${kind}: ${field.pattern}`).not.toBe("");
        expect(guide?.help.trim(), `${kind}: ${field.pattern}`).not.toBe("");
        if (guide?.editor) continue; // a picker shows its own words (variables, steps, flows)
        for (const choice of field.choices) {
          expect(guide?.options?.[choice], `${kind}: ${field.pattern} = ${choice}`).toBeTruthy();
        }
      }
    }
  });

  it("has no words for fields that do not exist (a renamed field cannot keep stale words)", () => {
    for (const kind of schemaFormKinds) {
      const patterns = new Set(formFields(kind).map((f) => f.pattern));
      for (const pattern of Object.keys(fieldGuides[kind] ?? {})) expect(patterns, kind).toContain(pattern);
    }
  });

  it("shows no raw schema words: no camelCase, no Ms suffix, no type names, no operator ids", () => {
    const raw = /\b[a-z]+[A-Z]|\bMs\b|^(object|string|array|gte|lte|gt|lt)$/;
    for (const kind of schemaFormKinds) {
      for (const guide of Object.values(fieldGuides[kind] ?? {})) {
        expect(guide.label, kind).not.toMatch(raw);
        for (const word of Object.values(guide.options ?? {})) expect(word, kind).not.toMatch(raw);
      }
    }
  });

  it("edits every variable a node writes with the variable picker, and durations with units", () => {
    for (const kind of schemaFormKinds) {
      for (const { pattern } of formFields(kind)) {
        const last = pattern.split(".").at(-1) ?? "";
        if (/^save\w*To$/.test(last) || (last === "variable" && !pattern.includes("graphql")))
          expect(guideFor(kind, pattern)?.editor, `${kind}: ${pattern}`).toBe("variable");
        if (/Ms$/.test(last))
          expect(guideFor(kind, pattern)?.editor, `${kind}: ${pattern}`).toBe("duration-ms");
      }
    }
  });

  it("reads list items under one pattern", () => {
    expect(guidePattern("input.options.3.label")).toBe("input.options.*.label");
    expect(guideFor("ask", "input.options.0.label")?.label).toBe("Button text");
    expect(guideFor("http", "timeoutMs")?.label).toBe("Give up after");
  });
});
