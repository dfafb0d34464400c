import type { FlowNode } from "../nodes/flow-node";

/** A JSONata expression inside a node. */
export interface NodeExpression {
  /** Where it is, relative to the node (`["data", "responseMapping", 0, "expression"]`). */
  readonly location: readonly (string | number)[];
  /** The JSONata source. */
  readonly expression: string;
  /**
   * What it is evaluated against: the flow's `variables` (system variables under `sys`), or an
   * http `response` (`{ status, headers, body }`).
   */
  readonly input: "variables" | "response";
}

/** Every JSONata expression of a node, with its location and evaluation input. */
export function expressionsOf(node: FlowNode): NodeExpression[] {
  const found: NodeExpression[] = [];
  if (node.kind === "set-variable") {
    node.data.assignments.forEach((assignment, index) => {
      if (assignment.value.type === "expression") {
        found.push({
          location: ["data", "assignments", index, "value", "expression"],
          expression: assignment.value.expression,
          input: "variables",
        });
      }
    });
  }
  if (node.kind === "http") {
    if (node.data.body?.type === "expression") {
      found.push({
        location: ["data", "body", "expression"],
        expression: node.data.body.expression,
        input: "variables",
      });
    }
    if (node.data.graphql?.variables) {
      found.push({
        location: ["data", "graphql", "variables"],
        expression: node.data.graphql.variables,
        input: "variables",
      });
    }
    node.data.responseMapping.forEach((mapping, index) => {
      found.push({
        location: ["data", "responseMapping", index, "expression"],
        expression: mapping.expression,
        input: "response",
      });
    });
  }
  return found;
}
