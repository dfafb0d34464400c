/**
 * Test helpers (not part of the package API): small builders for flow documents so each test
 * states only what it is about.
 */
import { nodeCatalog } from "../src/catalog";
import { type FlowDocument, type FlowDocumentInput, flowDocumentSchema } from "../src/document";
import type { NodeKind } from "../src/nodes/flow-node";
import type { FlowProblem, FlowProblemCode } from "../src/problems";

type NodeInput = FlowDocumentInput["nodes"][number];
type EdgeInput = NonNullable<FlowDocumentInput["edges"]>[number];

/** A node input of `kind` with the catalogue's default data, overridden by `data`. */
export function node(id: string, kind: NodeKind, data: Record<string, unknown> = {}): NodeInput {
  const defaults = nodeCatalog[kind].createDefaultData() as Record<string, unknown>;
  return { id, kind, position: { x: 0, y: 0 }, data: { ...defaults, ...data } } as NodeInput;
}

/** An edge from `source`'s handle to `target`. */
export function edge(source: string, sourceHandle: string, target: string): EdgeInput {
  return { id: `${source}:${sourceHandle}:${target}`, source, sourceHandle, target };
}

/** Edges chaining nodes through their `next` handle. */
export function chain(...ids: string[]): EdgeInput[] {
  return ids.slice(1).map((target, index) => edge(ids[index]!, "next", target));
}

/** A parsed flow document from a partial input (fails the test when the shape is invalid). */
export function buildFlow(
  input: Partial<FlowDocumentInput> & Pick<FlowDocumentInput, "nodes">,
): FlowDocument {
  return flowDocumentSchema.parse({ version: 1, id: "test-flow", name: "Test flow", ...input });
}

/**
 * A small valid flow: start -> hello -> ask name (error -> bye) -> thanks -> bye.
 * Tests add or change one thing and look for one code.
 */
export function validFlowInput(): FlowDocumentInput {
  return {
    version: 1,
    id: "test-flow",
    name: "Test flow",
    variables: [{ name: "name", type: "string" }],
    nodes: [
      node("start", "start"),
      node("hello", "message", { text: "Hello!" }),
      node("ask-name", "ask", { prompt: "Your name?", saveTo: "name" }),
      node("thanks", "message", { text: "Thanks {{ name }}" }),
      node("bye", "end"),
    ],
    edges: [...chain("start", "hello", "ask-name", "thanks", "bye"), edge("ask-name", "error", "bye")],
  };
}

/** `validFlowInput()` parsed. */
export function validFlow(): FlowDocument {
  return flowDocumentSchema.parse(validFlowInput());
}

/** The codes of some problems, for compact assertions. */
export function codesOf(problems: readonly FlowProblem[]): FlowProblemCode[] {
  return problems.map((problem) => problem.code);
}

/** The problems with one code. */
export function withCode(problems: readonly FlowProblem[], code: FlowProblemCode): FlowProblem[] {
  return problems.filter((problem) => problem.code === code);
}
