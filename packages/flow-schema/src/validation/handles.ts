import { describeOutputHandles, outputHandlesOf } from "../handles";
import type { ValidationRule } from "./context";
import { nodeName } from "./node-name";

/**
 * Output handles and the edges that leave them:
 * - `duplicate-handle`: two branches of one node share a handle name (two condition groups with
 *   the same id, an intent named `fallback`, ...);
 * - `dangling-edge`: an edge whose source or target is not a node of the flow;
 * - `unknown-handle`: an edge leaving a handle its source node does not have;
 * - `multiple-edges-from-handle`: more than one edge leaves the same handle (ambiguous);
 * - `unconnected-handle`: a handle with no edge (every branch must lead somewhere).
 */
export const checkHandlesAndEdges: ValidationRule = ({ flow, nodesById, report, reportAtNode }) => {
  const handlesByNode = new Map<string, Set<string>>();
  flow.nodes.forEach((node, index) => {
    const handles = new Set<string>();
    for (const handle of outputHandlesOf(node)) {
      if (handles.has(handle)) {
        reportAtNode(
          index,
          "duplicate-handle",
          `${nodeName(node)} has two output branches named "${handle}"`,
          ["data"],
        );
      }
      handles.add(handle);
    }
    if (!handlesByNode.has(node.id)) handlesByNode.set(node.id, handles);
  });

  const connected = new Set<string>();
  flow.edges.forEach((edge, index) => {
    const source = nodesById.get(edge.source);
    const target = nodesById.get(edge.target);
    if (!source) {
      report(
        null,
        ["edges", index, "source"],
        "dangling-edge",
        `edge "${edge.id}" starts at missing node "${edge.source}"`,
      );
    }
    if (!target) {
      report(
        source ? edge.source : null,
        ["edges", index, "target"],
        "dangling-edge",
        `edge "${edge.id}" leads to missing node "${edge.target}"`,
      );
    }
    if (!source) return;
    const handles = handlesByNode.get(edge.source) ?? new Set<string>();
    if (!handles.has(edge.sourceHandle)) {
      const known = [...handles].map((handle) => `"${handle}"`).join(", ") || "none";
      report(
        edge.source,
        ["edges", index, "sourceHandle"],
        "unknown-handle",
        `edge "${edge.id}" leaves handle "${edge.sourceHandle}" of ${nodeName(source.node)}, which has handles: ${known}`,
      );
      return;
    }
    const key = `${edge.source}\u0000${edge.sourceHandle}`;
    if (connected.has(key)) {
      report(
        edge.source,
        ["edges", index],
        "multiple-edges-from-handle",
        `output "${edge.sourceHandle}" of ${nodeName(source.node)} has more than one connection; keep one`,
      );
    }
    connected.add(key);
  });

  flow.nodes.forEach((node, index) => {
    if (nodesById.get(node.id)?.index !== index) return; // duplicates are reported once, by id
    const labels = new Map(describeOutputHandles(node).map((h) => [h.id, h.label]));
    for (const handle of handlesByNode.get(node.id) ?? []) {
      if (!connected.has(`${node.id}\u0000${handle}`)) {
        reportAtNode(
          index,
          "unconnected-handle",
          `${nodeName(node)}: connect its "${labels.get(handle) ?? handle}" output to the next step`,
        );
      }
    }
  });
};
