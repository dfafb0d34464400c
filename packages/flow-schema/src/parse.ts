import type { z } from "zod";
import { type FlowDocument, flowDocumentSchema } from "./document";
import { type MigrateFlowOptions, migrateFlowDocument } from "./migrations";
import { nodeKinds } from "./nodes/flow-node";
import { type FlowPath, type FlowProblem, formatFlowPath } from "./problems";

/** The result of `parseFlowDocument`. */
export type ParseFlowResult =
  | { readonly ok: true; readonly flow: FlowDocument }
  | { readonly ok: false; readonly problems: FlowProblem[] };

/**
 * Reads an untrusted flow document (parsed JSON): migrates it to the current version, then checks
 * its shape and applies defaults. Shape errors become `invalid-shape` problems whose `nodeId` is
 * the id of the node they are in (when the path is inside `nodes[i]` and that node has an id).
 * Semantics are not checked: see `validateFlow`, or `checkFlow` for both.
 */
export function parseFlowDocument(input: unknown, options: MigrateFlowOptions = {}): ParseFlowResult {
  const migrated = migrateFlowDocument(input, options);
  if (!migrated.ok) return migrated;
  const result = flowDocumentSchema.safeParse(migrated.document);
  if (result.success) return { ok: true, flow: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => issueToProblem(issue, migrated.document)),
  };
}

function issueToProblem(issue: z.core.$ZodIssue, document: Record<string, unknown>): FlowProblem {
  const path: FlowPath = issue.path.map((segment) =>
    typeof segment === "number" ? segment : String(segment),
  );
  return {
    nodeId: nodeIdAt(path, document),
    path,
    code: "invalid-shape",
    message: describeIssue(issue, path),
  };
}

function nodeIdAt(path: FlowPath, document: Record<string, unknown>): string | null {
  if (path[0] !== "nodes" || typeof path[1] !== "number") return null;
  const nodes = document.nodes;
  const node = Array.isArray(nodes) ? (nodes[path[1]] as unknown) : undefined;
  const id = typeof node === "object" && node !== null ? (node as { id?: unknown }).id : undefined;
  return typeof id === "string" && id !== "" ? id : null;
}

function describeIssue(issue: z.core.$ZodIssue, path: FlowPath): string {
  const where = formatFlowPath(path);
  // A discriminated union with an unknown discriminator only says "Invalid input": name the options.
  if (issue.code === "invalid_union" && issue.errors.length === 0) {
    const field = path.at(-1);
    if (field === "kind" && path[0] === "nodes") {
      return `${where}: unknown node kind; expected one of ${nodeKinds.join(", ")}`;
    }
    if (typeof field === "string") return `${where}: ${issue.message} (unknown "${field}" value)`;
  }
  return `${where}: ${issue.message}`;
}
