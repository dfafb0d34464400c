import type { ValidationRule } from "./context";
import { successorIndexes } from "./graph";
import { nodeName } from "./node-name";

/**
 * `unreachable-node`: a node no path reaches from the start node (through edges and jumps) nor
 * from the fallback node of the settings. Skipped when the flow has no start node, which is
 * reported as `missing-start` instead.
 */
export const checkReachability: ValidationRule = (context) => {
  const { flow, nodesById, reportAtNode } = context;
  const roots = flow.nodes.flatMap((node, index) => (node.kind === "start" ? [index] : []));
  if (roots.length === 0) return;
  const fallback = flow.settings.fallback.nodeId;
  const fallbackNode = fallback === undefined ? undefined : nodesById.get(fallback);
  if (fallbackNode) roots.push(fallbackNode.index);

  const successors = successorIndexes(context);
  const reached = new Set<number>(roots);
  const pending = [...roots];
  while (pending.length > 0) {
    for (const next of successors[pending.pop()!] ?? []) {
      if (!reached.has(next)) {
        reached.add(next);
        pending.push(next);
      }
    }
  }
  flow.nodes.forEach((node, index) => {
    if (!reached.has(index)) {
      reportAtNode(
        index,
        "unreachable-node",
        `${nodeName(node)} cannot be reached from the start; connect an output to it`,
      );
    }
  });
};
