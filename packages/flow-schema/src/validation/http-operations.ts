import type { ValidationRule } from "./context";
import { nodeName } from "./node-name";

/**
 * http nodes and connector operations:
 * - `missing-url`: an http node with neither a URL nor an `operation`;
 * - `unknown-operation`: an `operation` without an `integrationId`, or (when the caller knows the
 *   tenant's integrations, see `integrationOperations`) one that the integration's connector does
 *   not have, or a required input left out.
 */
export const checkHttpOperations: ValidationRule = ({ flow, options, reportAtNode }) => {
  flow.nodes.forEach((node, index) => {
    if (node.kind !== "http") return;
    const { operation, integrationId, url, inputs } = node.data;
    if (operation === undefined) {
      if (url.trim() === "") {
        reportAtNode(
          index,
          "missing-url",
          `${nodeName(node)}: give the URL to call (or a connector operation)`,
          ["data", "url"],
        );
      }
      return;
    }
    if (integrationId === undefined) {
      reportAtNode(
        index,
        "unknown-operation",
        `${nodeName(node)}: the operation "${operation}" needs the integration (created from a connector) that has it`,
        ["data", "integrationId"],
      );
      return;
    }
    const operations = options.integrationOperations?.(integrationId);
    if (operations === undefined) return;
    if (operations === null) {
      reportAtNode(
        index,
        "unknown-operation",
        `${nodeName(node)}: the integration "${integrationId}" was not created from a connector, so it has no operation "${operation}"`,
        ["data", "operation"],
      );
      return;
    }
    const found = operations.find((candidate) => candidate.id === operation);
    if (!found) {
      reportAtNode(
        index,
        "unknown-operation",
        `${nodeName(node)}: the integration "${integrationId}" has no operation "${operation}" (it has ${operations.map((candidate) => candidate.id).join(", ")})`,
        ["data", "operation"],
      );
      return;
    }
    for (const required of found.requiredInputs) {
      if ((inputs?.[required] ?? "").trim() === "") {
        reportAtNode(index, "unknown-operation", `${nodeName(node)}: the input "${required}" is required`, [
          "data",
          "inputs",
          required,
        ]);
      }
    }
  });
};
