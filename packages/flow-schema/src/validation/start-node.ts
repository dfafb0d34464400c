import type { ValidationRule } from "./context";
import { nodeName } from "./node-name";

/** `missing-start` when no node is a start node; `multiple-starts` on every start after the first. */
export const checkStartNode: ValidationRule = ({ flow, report, reportAtNode }) => {
  const starts = flow.nodes.flatMap((node, index) => (node.kind === "start" ? [{ node, index }] : []));
  if (starts.length === 0) {
    report(null, ["nodes"], "missing-start", "the flow has no start node; add exactly one");
  }
  for (const { node, index } of starts.slice(1)) {
    reportAtNode(
      index,
      "multiple-starts",
      `${nodeName(node)} is one of ${starts.length} start nodes; a flow has exactly one (the first is ${starts[0] ? nodeName(starts[0].node) : "?"})`,
    );
  }
};
