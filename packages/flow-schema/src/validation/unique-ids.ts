import { SYSTEM_VARIABLE_NAMESPACE } from "../system-variables";
import type { ValidationRule } from "./context";

/**
 * `duplicate-node-id`, `duplicate-edge-id` and `duplicate-variable` on every repeat after the
 * first; `reserved-variable-name` for a variable named like the system namespace (`sys`).
 */
export const checkUniqueIds: ValidationRule = ({ flow, report, reportAtNode }) => {
  const nodeIds = new Set<string>();
  flow.nodes.forEach((node, index) => {
    if (nodeIds.has(node.id)) {
      reportAtNode(index, "duplicate-node-id", `node id "${node.id}" is used by more than one node`, ["id"]);
    }
    nodeIds.add(node.id);
  });

  const edgeIds = new Set<string>();
  flow.edges.forEach((edge, index) => {
    if (edgeIds.has(edge.id)) {
      report(
        null,
        ["edges", index, "id"],
        "duplicate-edge-id",
        `edge id "${edge.id}" is used by more than one edge`,
      );
    }
    edgeIds.add(edge.id);
  });

  const variableNames = new Set<string>();
  flow.variables.forEach((variable, index) => {
    if (variable.name === SYSTEM_VARIABLE_NAMESPACE) {
      report(
        null,
        ["variables", index, "name"],
        "reserved-variable-name",
        `"${SYSTEM_VARIABLE_NAMESPACE}" is reserved for system variables ({{ ${SYSTEM_VARIABLE_NAMESPACE}.channel }}); choose another name`,
      );
    } else if (variableNames.has(variable.name)) {
      report(
        null,
        ["variables", index, "name"],
        "duplicate-variable",
        `variable "${variable.name}" is declared more than once`,
      );
    }
    variableNames.add(variable.name);
  });
};
