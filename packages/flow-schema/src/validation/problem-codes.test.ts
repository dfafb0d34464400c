/**
 * One row per problem code: an input that triggers it (with where it must be reported) and a
 * near-identical input that does not. A final test checks that every exported code has a row.
 */
import { describe, expect, it } from "vitest";
import { chain, edge, node, validFlowInput } from "../../test/fixtures";
import { checkFlow } from "../check";
import type { FlowDocumentInput } from "../document";
import { type FlowMigration, migrateFlowDocument } from "../migrations";
import { type FlowProblem, type FlowProblemCode, flowProblemCodes } from "../problems";

type Input = FlowDocumentInput & Record<string, unknown>;

/** Problems of the valid base flow after `change`. */
function problemsAfter(
  change: (flow: Input) => void,
  options: Parameters<typeof checkFlow>[1] = {},
): FlowProblem[] {
  const input = validFlowInput() as Input;
  change(input);
  return checkFlow(input, options).problems;
}

/** Replace a node of the base flow (by id) with another node input. */
function replaceNode(flow: Input, id: string, replacement: ReturnType<typeof node>): void {
  flow.nodes = flow.nodes.map((existing) => (existing.id === id ? replacement : existing));
}

interface Row {
  /** Problems that must contain the code. */
  readonly triggers: () => FlowProblem[];
  /** Problems that must not contain the code. */
  readonly avoids: () => FlowProblem[];
  /** Expected location of the first problem with the code. */
  readonly at: { nodeId: string | null; path: (string | number)[] };
}

const badMigration: FlowMigration = {
  from: 1,
  description: "throws",
  migrate: () => {
    throw new Error("boom");
  },
};

/** Adds an http node "call" after "thanks" with `data`. */
function withHttpNode(flow: Input, data: Record<string, unknown>): void {
  flow.nodes.push(node("call", "http", data));
  flow.edges = [
    ...flow.edges!.filter((e) => e.source !== "thanks"),
    edge("thanks", "next", "call"),
    edge("call", "success", "bye"),
    edge("call", "error", "bye"),
  ];
}

const rows: Record<FlowProblemCode, Row> = {
  "invalid-shape": {
    triggers: () =>
      problemsAfter((flow) => replaceNode(flow, "hello", node("hello", "message", { text: 42 }))),
    avoids: () => problemsAfter(() => {}),
    at: { nodeId: "hello", path: ["nodes", 1, "data", "text"] },
  },
  "unsupported-version": {
    triggers: () => problemsAfter((flow) => Object.assign(flow, { version: 2 })),
    avoids: () => problemsAfter((flow) => Object.assign(flow, { version: 1 })),
    at: { nodeId: null, path: ["version"] },
  },
  "migration-failed": {
    triggers: () => {
      const result = migrateFlowDocument(validFlowInput(), { migrations: [badMigration], targetVersion: 2 });
      return result.ok ? [] : result.problems;
    },
    avoids: () => {
      const result = migrateFlowDocument(validFlowInput(), {
        migrations: [{ ...badMigration, migrate: (doc) => doc }],
        targetVersion: 2,
      });
      return result.ok ? [] : result.problems;
    },
    at: { nodeId: null, path: ["version"] },
  },
  "missing-start": {
    triggers: () =>
      problemsAfter((flow) => replaceNode(flow, "start", node("start", "message", { text: "no start" }))),
    avoids: () => problemsAfter(() => {}),
    at: { nodeId: null, path: ["nodes"] },
  },
  "multiple-starts": {
    triggers: () =>
      problemsAfter((flow) => {
        flow.nodes.push(node("start-2", "start"));
        flow.edges?.push(edge("start-2", "next", "hello"));
      }),
    avoids: () => problemsAfter(() => {}),
    at: { nodeId: "start-2", path: ["nodes", 5] },
  },
  "duplicate-node-id": {
    triggers: () => problemsAfter((flow) => flow.nodes.push(node("thanks", "end"))),
    avoids: () => problemsAfter(() => {}),
    at: { nodeId: "thanks", path: ["nodes", 5, "id"] },
  },
  "duplicate-edge-id": {
    triggers: () =>
      problemsAfter((flow) => (flow.edges![4] = { ...flow.edges![4]!, id: flow.edges![0]!.id })),
    avoids: () => problemsAfter(() => {}),
    at: { nodeId: null, path: ["edges", 4, "id"] },
  },
  "duplicate-variable": {
    triggers: () => problemsAfter((flow) => flow.variables?.push({ name: "name", type: "number" })),
    avoids: () => problemsAfter((flow) => flow.variables?.push({ name: "age", type: "number" })),
    at: { nodeId: null, path: ["variables", 1, "name"] },
  },
  "reserved-variable-name": {
    triggers: () => problemsAfter((flow) => flow.variables?.push({ name: "sys", type: "object" })),
    avoids: () => problemsAfter((flow) => flow.variables?.push({ name: "system", type: "object" })),
    at: { nodeId: null, path: ["variables", 1, "name"] },
  },
  "duplicate-handle": {
    triggers: () =>
      problemsAfter((flow) => {
        flow.nodes.push(
          node("route", "condition", {
            groups: [{ id: "else", rules: [{ variable: "name", operator: "isSet" }] }],
          }),
        );
        flow.edges = [
          ...flow.edges!.filter((e) => e.source !== "thanks"),
          edge("thanks", "next", "route"),
          edge("route", "else", "bye"),
        ];
      }),
    avoids: () =>
      problemsAfter((flow) => {
        flow.nodes.push(
          node("route", "condition", {
            groups: [{ id: "known", rules: [{ variable: "name", operator: "isSet" }] }],
          }),
        );
        flow.edges = [
          ...flow.edges!.filter((e) => e.source !== "thanks"),
          edge("thanks", "next", "route"),
          edge("route", "known", "bye"),
          edge("route", "else", "bye"),
        ];
      }),
    at: { nodeId: "route", path: ["nodes", 5, "data"] },
  },
  "duplicate-option": {
    triggers: () =>
      problemsAfter((flow) =>
        replaceNode(
          flow,
          "ask-name",
          node("ask-name", "ask", {
            prompt: "Pick",
            saveTo: "name",
            input: {
              type: "choice",
              options: [
                { id: "a", label: "A" },
                { id: "b", label: "A" },
              ],
            },
          }),
        ),
      ),
    avoids: () =>
      problemsAfter((flow) =>
        replaceNode(
          flow,
          "ask-name",
          node("ask-name", "ask", {
            prompt: "Pick",
            saveTo: "name",
            input: {
              type: "choice",
              options: [
                { id: "a", label: "A" },
                { id: "b", label: "B" },
              ],
            },
          }),
        ),
      ),
    at: { nodeId: "ask-name", path: ["nodes", 2, "data", "input", "options", 1] },
  },
  "dangling-edge": {
    triggers: () => problemsAfter((flow) => (flow.edges![3] = edge("thanks", "next", "ghost"))),
    avoids: () => problemsAfter(() => {}),
    at: { nodeId: "thanks", path: ["edges", 3, "target"] },
  },
  "unknown-handle": {
    triggers: () => problemsAfter((flow) => (flow.edges![3] = edge("thanks", "success", "bye"))),
    avoids: () => problemsAfter(() => {}),
    at: { nodeId: "thanks", path: ["edges", 3, "sourceHandle"] },
  },
  "multiple-edges-from-handle": {
    triggers: () =>
      problemsAfter((flow) => flow.edges?.push({ ...edge("hello", "next", "bye"), id: "extra" })),
    avoids: () =>
      problemsAfter((flow) => flow.edges?.push(edge("thanks", "next", "bye")) && flow.edges.splice(3, 1)),
    at: { nodeId: "hello", path: ["edges", 5] },
  },
  "unconnected-handle": {
    triggers: () => problemsAfter((flow) => flow.edges?.splice(4, 1)),
    avoids: () => problemsAfter(() => {}),
    at: { nodeId: "ask-name", path: ["nodes", 2] },
  },
  "unreachable-node": {
    triggers: () =>
      problemsAfter((flow) => {
        flow.nodes.push(node("orphan", "end"));
      }),
    avoids: () =>
      problemsAfter((flow) => {
        flow.nodes.push(node("orphan", "end"));
        flow.settings = { fallback: { nodeId: "orphan" } };
      }),
    at: { nodeId: "orphan", path: ["nodes", 5] },
  },
  "loop-without-input": {
    triggers: () =>
      problemsAfter((flow) => {
        flow.nodes.push(node("again", "message", { text: "again" }));
        flow.edges = [
          ...flow.edges!.filter((e) => e.source !== "thanks"),
          edge("thanks", "next", "again"),
          edge("again", "next", "thanks"),
        ];
      }),
    avoids: () =>
      problemsAfter((flow) => {
        flow.nodes.push(node("again", "message", { text: "again" }));
        flow.edges = [
          ...flow.edges!.filter((e) => e.source !== "thanks"),
          edge("thanks", "next", "again"),
          edge("again", "next", "ask-name"),
        ];
      }),
    at: { nodeId: "thanks", path: ["nodes", 3] },
  },
  "missing-jump-target": {
    triggers: () =>
      problemsAfter((flow) => {
        flow.nodes.push(node("go", "jump", { targetNodeId: "nowhere" }));
        flow.edges = [...flow.edges!.filter((e) => e.source !== "thanks"), edge("thanks", "next", "go")];
      }),
    avoids: () =>
      problemsAfter((flow) => {
        flow.nodes.push(node("go", "jump", { targetNodeId: "bye" }));
        flow.edges = [...flow.edges!.filter((e) => e.source !== "thanks"), edge("thanks", "next", "go")];
      }),
    at: { nodeId: "go", path: ["nodes", 5, "data", "targetNodeId"] },
  },
  "missing-fallback-node": {
    triggers: () => problemsAfter((flow) => (flow.settings = { fallback: { nodeId: "gone" } })),
    avoids: () => problemsAfter((flow) => (flow.settings = { fallback: { nodeId: "bye" } })),
    at: { nodeId: null, path: ["settings", "fallback", "nodeId"] },
  },
  "unknown-subflow": {
    triggers: () =>
      problemsAfter(
        (flow) => {
          flow.nodes.push(node("sub", "subflow", { flowId: "missing-flow" }));
          flow.edges = [
            ...flow.edges!.filter((e) => e.source !== "thanks"),
            ...chain("thanks", "sub", "bye"),
          ];
        },
        { flowExists: (id) => id === "other-flow" },
      ),
    avoids: () =>
      problemsAfter(
        (flow) => {
          flow.nodes.push(node("sub", "subflow", { flowId: "other-flow" }));
          flow.edges = [
            ...flow.edges!.filter((e) => e.source !== "thanks"),
            ...chain("thanks", "sub", "bye"),
          ];
        },
        { flowExists: (id) => id === "other-flow" },
      ),
    at: { nodeId: "sub", path: ["nodes", 5, "data", "flowId"] },
  },
  "undeclared-variable": {
    triggers: () =>
      problemsAfter((flow) =>
        replaceNode(flow, "thanks", node("thanks", "message", { text: "Bye {{ nickname }}" })),
      ),
    avoids: () =>
      problemsAfter((flow) =>
        replaceNode(
          flow,
          "thanks",
          node("thanks", "message", { text: "Bye {{ name }} on {{ sys.channel }}" }),
        ),
      ),
    at: { nodeId: "thanks", path: ["nodes", 3, "data", "text"] },
  },
  "invalid-template": {
    triggers: () =>
      problemsAfter((flow) =>
        replaceNode(flow, "thanks", node("thanks", "message", { text: "Bye {{ name" })),
      ),
    avoids: () =>
      problemsAfter((flow) =>
        replaceNode(flow, "thanks", node("thanks", "message", { text: "Bye {{ name }}" })),
      ),
    at: { nodeId: "thanks", path: ["nodes", 3, "data", "text"] },
  },
  "invalid-jsonata": {
    triggers: () =>
      problemsAfter((flow) =>
        replaceNode(
          flow,
          "thanks",
          node("thanks", "set-variable", {
            assignments: [{ variable: "name", value: { type: "expression", expression: "$uppercase(name" } }],
          }),
        ),
      ),
    avoids: () =>
      problemsAfter((flow) =>
        replaceNode(
          flow,
          "thanks",
          node("thanks", "set-variable", {
            assignments: [
              { variable: "name", value: { type: "expression", expression: "$uppercase(name)" } },
            ],
          }),
        ),
      ),
    at: { nodeId: "thanks", path: ["nodes", 3, "data", "assignments", 0, "value", "expression"] },
  },
  "default-type-mismatch": {
    triggers: () =>
      problemsAfter((flow) => flow.variables?.push({ name: "age", type: "number", default: "12" })),
    avoids: () => problemsAfter((flow) => flow.variables?.push({ name: "age", type: "number", default: 12 })),
    at: { nodeId: null, path: ["variables", 1, "default"] },
  },
  "variable-type-mismatch": {
    triggers: () =>
      problemsAfter((flow) =>
        replaceNode(
          flow,
          "ask-name",
          node("ask-name", "ask", { prompt: "Age?", saveTo: "name", input: { type: "number" } }),
        ),
      ),
    avoids: () =>
      problemsAfter((flow) =>
        replaceNode(
          flow,
          "ask-name",
          node("ask-name", "ask", { prompt: "Name?", saveTo: "name", input: { type: "email" } }),
        ),
      ),
    at: { nodeId: "ask-name", path: ["nodes", 2, "data", "saveTo"] },
  },
  "ask-without-prompt": {
    triggers: () =>
      problemsAfter((flow) =>
        replaceNode(flow, "ask-name", node("ask-name", "ask", { prompt: "  ", saveTo: "name" })),
      ),
    avoids: () => problemsAfter(() => {}),
    at: { nodeId: "ask-name", path: ["nodes", 2, "data", "prompt"] },
  },
  "empty-message": {
    triggers: () =>
      problemsAfter((flow) => replaceNode(flow, "hello", node("hello", "message", { text: " " }))),
    avoids: () =>
      problemsAfter((flow) =>
        replaceNode(
          flow,
          "hello",
          node("hello", "message", { text: "", image: { url: "https://example.com/x.png" } }),
        ),
      ),
    at: { nodeId: "hello", path: ["nodes", 1, "data", "text"] },
  },
  "ab-split-weights": {
    triggers: () =>
      problemsAfter((flow) => {
        flow.nodes.push(
          node("split", "ab-split", {
            variants: [
              { id: "a", weight: 60 },
              { id: "b", weight: 30 },
            ],
          }),
        );
        flow.edges = [
          ...flow.edges!.filter((e) => e.source !== "thanks"),
          edge("thanks", "next", "split"),
          edge("split", "a", "bye"),
          edge("split", "b", "bye"),
        ];
      }),
    avoids: () =>
      problemsAfter((flow) => {
        flow.nodes.push(
          node("split", "ab-split", {
            variants: [
              { id: "a", weight: 70 },
              { id: "b", weight: 30 },
            ],
          }),
        );
        flow.edges = [
          ...flow.edges!.filter((e) => e.source !== "thanks"),
          edge("thanks", "next", "split"),
          edge("split", "a", "bye"),
          edge("split", "b", "bye"),
        ];
      }),
    at: { nodeId: "split", path: ["nodes", 5, "data", "variants"] },
  },
  "forbidden-header": {
    triggers: () =>
      problemsAfter((flow) => {
        flow.nodes.push(
          node("call", "http", {
            integrationId: "crm",
            url: "/contacts",
            headers: { Accept: "application/json", Authorization: "Bearer {{ name }}" },
          }),
        );
        flow.edges = [
          ...flow.edges!.filter((e) => e.source !== "thanks"),
          edge("thanks", "next", "call"),
          edge("call", "success", "bye"),
          edge("call", "error", "bye"),
        ];
      }),
    avoids: () =>
      problemsAfter((flow) => {
        flow.nodes.push(
          node("call", "http", {
            url: "https://api.example.com/contacts",
            headers: { Accept: "application/json", Authorization: "Bearer {{ name }}" },
          }),
        );
        flow.edges = [
          ...flow.edges!.filter((e) => e.source !== "thanks"),
          edge("thanks", "next", "call"),
          edge("call", "success", "bye"),
          edge("call", "error", "bye"),
        ];
      }),
    at: { nodeId: "call", path: ["nodes", 5, "data", "headers", "Authorization"] },
  },
  "missing-url": {
    triggers: () => problemsAfter((flow) => withHttpNode(flow, { url: "" })),
    avoids: () => problemsAfter((flow) => withHttpNode(flow, { url: "https://api.example.com/x" })),
    at: { nodeId: "call", path: ["nodes", 5, "data", "url"] },
  },
  "unknown-operation": {
    triggers: () =>
      problemsAfter((flow) => withHttpNode(flow, { integrationId: "crm", operation: "create-lead" }), {
        integrationOperations: () => [{ id: "create-contact", requiredInputs: ["email"] }],
      }),
    avoids: () =>
      problemsAfter(
        (flow) =>
          withHttpNode(flow, {
            integrationId: "crm",
            operation: "create-contact",
            inputs: { email: "{{ name }}" },
          }),
        { integrationOperations: () => [{ id: "create-contact", requiredInputs: ["email"] }] },
      ),
    at: { nodeId: "call", path: ["nodes", 5, "data", "operation"] },
  },
  "invalid-range": {
    triggers: () =>
      problemsAfter((flow) =>
        replaceNode(
          flow,
          "ask-name",
          node("ask-name", "ask", {
            prompt: "Name?",
            saveTo: "name",
            input: { type: "text", minLength: 10, maxLength: 5 },
          }),
        ),
      ),
    avoids: () =>
      problemsAfter((flow) =>
        replaceNode(
          flow,
          "ask-name",
          node("ask-name", "ask", {
            prompt: "Name?",
            saveTo: "name",
            input: { type: "text", minLength: 5, maxLength: 5 },
          }),
        ),
      ),
    at: { nodeId: "ask-name", path: ["nodes", 2, "data", "input", "minLength"] },
  },
};

describe("problem codes", () => {
  it("the base flow is valid", () => {
    expect(checkFlow(validFlowInput()).problems).toEqual([]);
  });

  it("every exported code has a row", () => {
    expect(Object.keys(rows).sort()).toEqual([...flowProblemCodes].sort());
  });

  describe.each(Object.entries(rows) as [FlowProblemCode, Row][])("%s", (code, row) => {
    it("is reported where the problem is", () => {
      const problems = row.triggers();
      const problem = problems.find((candidate) => candidate.code === code);
      expect(problem, JSON.stringify(problems)).toBeDefined();
      expect({ nodeId: problem?.nodeId, path: problem?.path }).toEqual(row.at);
      expect(problem?.message.length).toBeGreaterThan(10);
    });

    it("is not reported for the corrected input", () => {
      const problems = row.avoids();
      expect(problems.filter((problem) => problem.code === code)).toEqual([]);
    });
  });
});
