import type { FlowDocument, FlowEdge } from "@parley/flow-schema";
import { diffFlows } from "./diff";

/**
 * Three-way merge for a save conflict: `base` is the revision both editors started from, `theirs`
 * the revision saved meanwhile, `mine` the local edits. The result is `theirs` with my node, edge,
 * variable and settings changes replayed on top; where we both changed the same node, mine wins
 * (it is what the person merging is looking at). Returns the ids of such nodes as `conflicts`.
 */
export function mergeFlows(
  base: FlowDocument,
  mine: FlowDocument,
  theirs: FlowDocument,
): { doc: FlowDocument; conflicts: string[] } {
  const mineDiff = diffFlows(base, mine);
  const theirsDiff = diffFlows(base, theirs);
  const mineNodes = new Map(mine.nodes.map((n) => [n.id, n]));
  const conflicts: string[] = [];
  let nodes = [...theirs.nodes];
  for (const [id, change] of mineDiff.nodes) {
    if (theirsDiff.nodes.has(id) && theirsDiff.nodes.get(id) !== "moved" && change !== "moved")
      conflicts.push(id);
    if (change === "removed") {
      nodes = nodes.filter((n) => n.id !== id);
      continue;
    }
    const node = mineNodes.get(id);
    if (!node) continue;
    const index = nodes.findIndex((n) => n.id === id);
    if (index === -1) nodes.push(node);
    else nodes[index] = node;
  }
  const present = new Set(nodes.map((n) => n.id));
  const key = (e: FlowEdge) => `${e.source}\u0000${e.sourceHandle}`;
  const removed = new Set(mineDiff.edgesRemoved.map((e) => `${key(e)}\u0000${e.target}`));
  const edges = new Map<string, FlowEdge>();
  for (const edge of theirs.edges)
    if (!removed.has(`${key(edge)}\u0000${edge.target}`)) edges.set(key(edge), edge);
  const ids = new Set(theirs.edges.map((e) => e.id));
  for (const edge of mineDiff.edgesAdded) {
    const id = ids.has(edge.id) && edges.get(key(edge))?.id !== edge.id ? `${edge.id}-m` : edge.id;
    edges.set(key(edge), { ...edge, id });
  }
  const keptEdges = [...edges.values()].filter((e) => present.has(e.source) && present.has(e.target));

  const variables = new Map(theirs.variables.map((v) => [v.name, v]));
  for (const name of mineDiff.variablesRemoved) variables.delete(name);
  for (const v of mine.variables) {
    if (mineDiff.variablesAdded.includes(v.name) || mineDiff.variablesChanged.includes(v.name))
      variables.set(v.name, v);
  }
  return {
    doc: {
      ...theirs,
      ...(mineDiff.nameChanged ? { name: mine.name } : {}),
      ...(mineDiff.settingsChanged ? { settings: mine.settings } : {}),
      nodes,
      edges: keptEdges,
      variables: [...variables.values()],
    },
    conflicts,
  };
}
