import { describe, expect, it } from "vitest";
import { buildFlow, chain, codesOf, edge, node, withCode } from "../../test/fixtures";
import { validateFlow } from "./validate-flow";

/** start -> the given node -> end, with the given variables. */
function around(
  middle: ReturnType<typeof node>,
  variables: {
    name: string;
    type: "string" | "number" | "boolean" | "date" | "list" | "object";
    default?: unknown;
  }[] = [],
) {
  const handles: Record<string, string[]> = {
    ask: ["next", "error"],
    llm: ["next", "error"],
    http: ["success", "error"],
    knowledge: ["answered", "noAnswer"],
  };
  const out = handles[middle.kind] ?? ["next"];
  return buildFlow({
    variables: variables as never,
    nodes: [node("start", "start"), middle, node("end", "end")],
    edges: [edge("start", "next", middle.id), ...out.map((handle) => edge(middle.id, handle, "end"))],
  });
}

describe("undeclared-variable", () => {
  it("accepts known system variables and flags unknown ones", () => {
    const flow = around(
      node("m", "message", { text: "{{ sys.channel }} {{ sys.contactName }} {{ sys.secret }}" }),
    );
    const problems = withCode(validateFlow(flow), "undeclared-variable");
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toBe('"sys.secret" is not a system variable');
  });

  it("checks only the root of a path", () => {
    const flow = around(node("m", "message", { text: "{{ order.items.0.name }}" }), [
      { name: "order", type: "object" },
    ]);
    expect(validateFlow(flow)).toEqual([]);
  });

  it("checks condition rules and variable operands", () => {
    const flow = around(
      node("c", "condition", {
        groups: [
          { id: "g", rules: [{ variable: "size", operator: "equals", value: { variable: "wanted" } }] },
        ],
      }),
      [{ name: "size", type: "string" }],
    );
    const edges = [...flow.edges, edge("c", "g", "end")];
    const problems = withCode(validateFlow({ ...flow, edges }), "undeclared-variable");
    expect(problems.map((problem) => problem.path)).toEqual([
      ["nodes", 1, "data", "groups", 0, "rules", 0, "value", "variable"],
    ]);
  });

  it("checks writes: saved answers, mappings, extract fields, subflow outputs", () => {
    const problems = [
      around(node("a", "ask", { prompt: "?", saveTo: "missing" })),
      around(node("h", "http", { responseMapping: [{ variable: "missing", expression: "body" }] })),
      around(
        node("l", "llm", { mode: { type: "extract", fields: [{ variable: "missing", type: "string" }] } }),
      ),
      around(node("s", "subflow", { flowId: "f", outputs: [{ child: "x", parent: "missing" }] })),
      around(node("k", "knowledge", { saveAnswerTo: "missing" })),
    ].flatMap((flow) => withCode(validateFlow(flow), "undeclared-variable"));
    expect(problems.map((problem) => problem.path.slice(2))).toEqual([
      ["data", "saveTo"],
      ["data", "responseMapping", 0, "variable"],
      ["data", "mode", "fields", 0, "variable"],
      ["data", "outputs", 0, "parent"],
      ["data", "saveAnswerTo"],
    ]);
  });

  it("refuses writes to the system namespace", () => {
    const flow = around(node("a", "ask", { prompt: "?", saveTo: "sys" }));
    expect(withCode(validateFlow(flow), "undeclared-variable")[0]?.message).toContain("read-only");
  });

  it("checks the fallback message", () => {
    const flow = buildFlow({
      nodes: [node("start", "start"), node("end", "end")],
      edges: [edge("start", "next", "end")],
      settings: { fallback: { message: "Sorry {{ who }}" } },
    });
    expect(validateFlow(flow)).toEqual([
      expect.objectContaining({
        code: "undeclared-variable",
        nodeId: null,
        path: ["settings", "fallback", "message"],
      }),
    ]);
  });

  it("checks subflow child names when the called flow's variables are known", () => {
    const flow = around(
      node("s", "subflow", {
        flowId: "collect",
        inputs: [{ child: "email", parent: "email" }],
        outputs: [{ child: "mail", parent: "email" }],
      }),
      [{ name: "email", type: "string" }],
    );
    const problems = validateFlow(flow, {
      flowVariables: (id) => (id === "collect" ? ["email"] : undefined),
    });
    expect(problems).toEqual([
      expect.objectContaining({
        code: "undeclared-variable",
        path: ["nodes", 1, "data", "outputs", 0, "child"],
      }),
    ]);
  });
});

describe("variable-type-mismatch", () => {
  it("matches ask answers to variable types", () => {
    const cases = [
      [{ type: "number" }, "number", true],
      [{ type: "number" }, "string", false],
      [{ type: "date" }, "date", true],
      [{ type: "date" }, "string", true],
      [{ type: "choice", options: [{ id: "a", label: "A" }] }, "string", true],
      [{ type: "choice", multiple: true, options: [{ id: "a", label: "A" }] }, "list", true],
      [{ type: "choice", multiple: true, options: [{ id: "a", label: "A" }] }, "string", false],
    ] as const;
    for (const [input, type, ok] of cases) {
      const flow = around(node("a", "ask", { prompt: "?", saveTo: "v", input }), [{ name: "v", type }]);
      expect(
        codesOf(validateFlow(flow)).includes("variable-type-mismatch"),
        JSON.stringify({ input, type }),
      ).toBe(!ok);
    }
  });

  it("checks literal assignments against the declared type", () => {
    const flow = around(
      node("s", "set-variable", {
        assignments: [
          { variable: "count", value: { type: "literal", value: 3 } },
          { variable: "count", value: { type: "literal", value: "3" } },
          { variable: "when", value: { type: "literal", value: "2025-02-30T99:00" } },
          { variable: "count", value: { type: "expression", expression: "'anything'" } },
        ],
      }),
      [
        { name: "count", type: "number" },
        { name: "when", type: "date" },
      ],
    );
    expect(withCode(validateFlow(flow), "variable-type-mismatch").map((problem) => problem.path[4])).toEqual([
      1, 2,
    ]);
  });

  it("checks extract field types", () => {
    const flow = around(
      node("l", "llm", { mode: { type: "extract", fields: [{ variable: "age", type: "string" }] } }),
      [{ name: "age", type: "number" }],
    );
    expect(codesOf(validateFlow(flow))).toEqual(["variable-type-mismatch"]);
  });
});

describe("default-type-mismatch", () => {
  it.each([
    ["string", "x", true],
    ["string", 1, false],
    ["number", 1.5, true],
    ["number", null, false],
    ["boolean", false, true],
    ["boolean", "false", false],
    ["date", "2025-01-31", true],
    ["date", "2025-01-31T10:00:00Z", true],
    ["date", "31/01/2025", false],
    ["list", [], true],
    ["list", {}, false],
    ["object", { a: 1 }, true],
    ["object", [1], false],
  ] as const)("%s default %j fits: %s", (type, value, ok) => {
    const flow = buildFlow({
      variables: [{ name: "v", type, default: value as never }],
      nodes: [node("start", "start"), node("end", "end")],
      edges: chain("start", "end"),
    });
    expect(codesOf(validateFlow(flow))).toEqual(ok ? [] : ["default-type-mismatch"]);
  });
});
