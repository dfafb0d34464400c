import type { ValidationRule } from "./context";
import { nodeName } from "./node-name";

/**
 * References from a node or the settings to something else:
 * - `missing-jump-target`: a jump whose target is empty or not a node of this flow;
 * - `missing-fallback-node`: `settings.fallback.nodeId` is not a node of this flow;
 * - `unknown-subflow`: a subflow with no flow chosen, or (with `options.flowExists`) naming a
 *   flow that does not exist; with `options.flowVariables`, a `child` name the called flow does
 *   not declare is reported as `undeclared-variable`.
 */
export const checkNodeReferences: ValidationRule = ({ flow, options, nodesById, report, reportAtNode }) => {
  flow.nodes.forEach((node, index) => {
    if (node.kind === "jump") {
      const target = node.data.targetNodeId;
      if (target === "") {
        reportAtNode(index, "missing-jump-target", `${nodeName(node)}: choose the node to jump to`, [
          "data",
          "targetNodeId",
        ]);
      } else if (!nodesById.has(target)) {
        reportAtNode(
          index,
          "missing-jump-target",
          `${nodeName(node)} jumps to "${target}", which is not a node of this flow`,
          ["data", "targetNodeId"],
        );
      }
    }
    if (node.kind === "subflow") {
      const { flowId } = node.data;
      if (flowId === "") {
        reportAtNode(index, "unknown-subflow", `${nodeName(node)}: choose the flow to call`, [
          "data",
          "flowId",
        ]);
        return;
      }
      if (options.flowExists && !options.flowExists(flowId)) {
        reportAtNode(
          index,
          "unknown-subflow",
          `${nodeName(node)} calls flow "${flowId}", which does not exist in this bot`,
          ["data", "flowId"],
        );
        return;
      }
      const childVariables = options.flowVariables?.(flowId);
      if (!childVariables) return;
      const known = new Set(childVariables);
      for (const [list, mappings] of [
        ["inputs", node.data.inputs],
        ["outputs", node.data.outputs],
      ] as const) {
        mappings.forEach((mapping, mappingIndex) => {
          if (known.has(mapping.child)) return;
          reportAtNode(
            index,
            "undeclared-variable",
            `flow "${flowId}" declares no variable "${mapping.child}"`,
            ["data", list, mappingIndex, "child"],
          );
        });
      }
    }
  });

  const fallbackNodeId = flow.settings.fallback.nodeId;
  if (fallbackNodeId !== undefined && !nodesById.has(fallbackNodeId)) {
    report(
      null,
      ["settings", "fallback", "nodeId"],
      "missing-fallback-node",
      `the fallback node "${fallbackNodeId}" is not a node of this flow`,
    );
  }
};
