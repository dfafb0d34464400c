import { describe, expect, it } from "vitest";
import { formErrorMap } from "../../../components/ui/form-controls";
import { documentProblem, flowNameOf, flowSourceOf, type NewFlowValues, newFlowForm } from "./new-flow-form";

/** The form's problems by field path, in the words the form shows (its resolver's error map). */
function problemsOf(values: NewFlowValues): Record<string, string> {
  const result = newFlowForm.safeParse(values, { error: formErrorMap });
  return Object.fromEntries(
    (result.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]),
  );
}

describe("new flow form", () => {
  it("needs a name unless the flow is imported, and an import needs a JSON object file", () => {
    expect(problemsOf({ name: "  ", source: "empty", file: null })).toEqual({ name: "is required" });
    expect(problemsOf({ name: "", source: "tpl-collect-email", file: null })).toEqual({
      name: "is required",
    });
    expect(problemsOf({ name: "x".repeat(201), source: "empty", file: null }).name).toBe(
      "must have at most 200 characters",
    );
    expect(problemsOf({ name: "", source: "import", file: null })).toEqual({
      file: "choose a flow JSON file",
    });
    expect(problemsOf({ name: "", source: "import", file: "{ nope" })).toEqual({
      file: "The file is not valid JSON.",
    });
    expect(problemsOf({ name: "", source: "import", file: "[1, 2]" })).toEqual({
      file: "The file is not a flow document (a JSON object).",
    });
    expect(problemsOf({ name: "", source: "import", file: '{"nodes": []}' })).toEqual({});
  });

  it("gives flows.create its name and source", () => {
    const empty = newFlowForm.parse({ name: " Greeting ", source: "empty", file: null });
    expect([flowNameOf(empty), flowSourceOf(empty)]).toEqual(["Greeting", { type: "empty" }]);
    const template = newFlowForm.parse({ name: "Leads", source: "tpl-collect-email", file: null });
    expect(flowSourceOf(template)).toEqual({ type: "template", templateId: "tpl-collect-email" });
    const imported = newFlowForm.parse({
      name: "",
      source: "import",
      file: '{"name": "Orders", "nodes": []}',
    });
    expect([flowNameOf(imported), flowSourceOf(imported)]).toEqual([
      "Orders",
      { type: "import", document: { name: "Orders", nodes: [] } },
    ]);
    expect(flowNameOf(newFlowForm.parse({ name: "", source: "import", file: "{}" }))).toBe("Imported flow");
    expect(
      flowNameOf(newFlowForm.parse({ name: "Mine", source: "import", file: '{"name": "Orders"}' })),
    ).toBe("Mine");
  });

  it("puts an imported document's server problems on the file field, in one message", () => {
    expect(documentProblem({ name: "is required" })).toBeUndefined();
    expect(
      documentProblem({ "source.document.nodes.0.kind": "unknown node kind", name: "is required" }),
    ).toBe("The file is not a valid flow: source.document.nodes.0.kind: unknown node kind");
  });
});
