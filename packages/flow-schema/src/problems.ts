import { z } from "zod";

/**
 * Every problem code `parseFlowDocument`, `migrateFlowDocument` and `validateFlow` can report.
 *
 * Shape and version: `invalid-shape`, `unsupported-version`, `migration-failed`.
 * Structure: `missing-start`, `multiple-starts`, `duplicate-node-id`, `duplicate-edge-id`,
 * `duplicate-variable`, `reserved-variable-name`, `duplicate-handle`, `duplicate-option`.
 * Edges and graph: `dangling-edge`, `unknown-handle`, `multiple-edges-from-handle`,
 * `unconnected-handle`, `unreachable-node`, `loop-without-input`, `missing-jump-target`,
 * `missing-fallback-node`, `unknown-subflow`.
 * Variables and expressions: `undeclared-variable`, `invalid-template`, `invalid-jsonata`,
 * `default-type-mismatch`, `variable-type-mismatch`.
 * Node content: `ask-without-prompt`, `empty-message`, `ab-split-weights`, `invalid-range`,
 * `forbidden-header` (an http node sets `Host`, a hop-by-hop header, or a credential header on an
 * integration call), `missing-url` (an http node with neither a URL nor a connector operation),
 * `unknown-operation` (an http node's operation is not one of its integration's connector, or a
 * required input is missing).
 */
export const flowProblemCodes = [
  "invalid-shape",
  "unsupported-version",
  "migration-failed",
  "missing-start",
  "multiple-starts",
  "duplicate-node-id",
  "duplicate-edge-id",
  "duplicate-variable",
  "reserved-variable-name",
  "duplicate-handle",
  "duplicate-option",
  "dangling-edge",
  "unknown-handle",
  "multiple-edges-from-handle",
  "unconnected-handle",
  "unreachable-node",
  "loop-without-input",
  "missing-jump-target",
  "missing-fallback-node",
  "unknown-subflow",
  "undeclared-variable",
  "invalid-template",
  "invalid-jsonata",
  "default-type-mismatch",
  "variable-type-mismatch",
  "ask-without-prompt",
  "empty-message",
  "ab-split-weights",
  "invalid-range",
  "forbidden-header",
  "missing-url",
  "unknown-operation",
] as const;

/** The code of a flow problem. */
export const flowProblemCodeSchema = z.enum(flowProblemCodes);

/** The code of a flow problem. */
export type FlowProblemCode = z.infer<typeof flowProblemCodeSchema>;

/**
 * A location in a flow document: property names and array indexes from the document root
 * (`["nodes", 3, "data", "prompt"]`). Always from the root, never relative to a node.
 */
export const flowPathSchema = z.array(z.union([z.string(), z.number().int().min(0)]));

/** A location in a flow document, from the document root. */
export type FlowPath = z.infer<typeof flowPathSchema>;

/**
 * A problem found in a flow document: `nodeId` is the id of the node it concerns (null for
 * document-level problems such as `missing-start`), `path` where it is (from the document
 * root), `code` what kind of problem, and `message` a sentence for people.
 */
export const flowProblemSchema = z
  .object({
    nodeId: z.string().nullable(),
    path: flowPathSchema,
    code: flowProblemCodeSchema,
    message: z.string(),
  })
  .meta({ id: "FlowProblem" });

/** A problem found in a flow document. */
export type FlowProblem = z.infer<typeof flowProblemSchema>;

/** Formats a path for people: `["nodes", 3, "data", "prompt"]` gives `nodes[3].data.prompt`. */
export function formatFlowPath(path: readonly (string | number)[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text || "(document)";
}

/** Formats a problem on one line: `nodes[3].data.prompt (node ask-name) [ask-without-prompt] ...`. */
export function formatFlowProblem(problem: FlowProblem): string {
  const node = problem.nodeId === null ? "" : ` (node ${problem.nodeId})`;
  return `${formatFlowPath(problem.path)}${node} [${problem.code}] ${problem.message}`;
}
