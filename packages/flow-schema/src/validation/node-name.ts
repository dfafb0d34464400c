import type { FlowNode } from "../nodes/flow-node";

/**
 * How a problem message names a node: by the title the designer shows (its label, quoted), or, for
 * a node without a label, by its kind and id. Ids are internal; people recognise nodes by title.
 *
 * @example nodeName({ kind: "ask", id: "ask-1", label: "Ask size", ... }) // '"Ask size"'
 * @example nodeName({ kind: "ask", id: "ask-1", ... }) // 'ask node "ask-1"'
 */
export function nodeName(node: Pick<FlowNode, "id" | "kind" | "label">): string {
  const label = node.label?.trim();
  return label ? `"${label}"` : `${node.kind} node "${node.id}"`;
}
