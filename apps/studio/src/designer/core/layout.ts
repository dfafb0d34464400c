import { Graph, layout } from "@dagrejs/dagre";
import { type FlowDocument, type NodePosition, outputHandlesOf } from "@parley/flow-schema";

/** Spacing of {@link layeredLayout}, in canvas pixels. */
export interface LayoutSpacing {
  /** Vertical distance between layers (top to bottom). */
  readonly layerGap: number;
  /** Horizontal distance between neighbours in a layer. */
  readonly nodeGap: number;
}

/** The size a node card takes on the canvas, roughly (the layout keeps them apart by it). */
const NODE_SIZE = { width: 220, height: 90 };
const DEFAULT_SPACING: LayoutSpacing = { layerGap: 70, nodeGap: 60 };

/**
 * A layered (Sugiyama) layout, top to bottom, computed by dagre: cycles are broken, layers are
 * assigned by network simplex, crossings are minimised and branches sit side by side. Edges are
 * ordered by their source's outputs, so a condition's first group lands left of its "else".
 * Positions are the nodes' top-left corners, with the start node's layer at y = 0.
 * Deterministic: the same document gives the same positions.
 *
 * @example
 * commit(moveNodes(doc, layeredLayout(doc)));
 */
export function layeredLayout(
  doc: FlowDocument,
  spacing: LayoutSpacing = DEFAULT_SPACING,
): Map<string, NodePosition> {
  const graph = new Graph({ multigraph: true });
  graph.setGraph({
    rankdir: "TB",
    ranksep: spacing.layerGap,
    nodesep: spacing.nodeGap,
    ranker: "network-simplex",
  });
  graph.setDefaultEdgeLabel(() => ({}));
  // The start node first: dagre keeps insertion order where it has no reason to change it.
  const start = doc.nodes.find((node) => node.kind === "start");
  const nodes = start ? [start, ...doc.nodes.filter((node) => node !== start)] : doc.nodes;
  for (const node of nodes) graph.setNode(node.id, { ...NODE_SIZE });
  // Each node's edges in reverse order of its outputs: where nothing else decides, dagre places a
  // node's later-inserted children to the left, so the first output ends up leftmost.
  const handleRank = new Map(
    doc.nodes.flatMap((node) =>
      outputHandlesOf(node).map((handle, rank) => [`${node.id}\u0000${handle}`, rank]),
    ),
  );
  const rankOf = (edge: FlowDocument["edges"][number]) =>
    handleRank.get(`${edge.source}\u0000${edge.sourceHandle}`) ?? Number.MAX_SAFE_INTEGER;
  const edges = doc.edges
    .map((edge, index) => ({ edge, index }))
    .sort((a, b) => rankOf(b.edge) - rankOf(a.edge) || b.index - a.index);
  for (const { edge, index } of edges) {
    if (edge.source === edge.target || !graph.hasNode(edge.source) || !graph.hasNode(edge.target)) continue;
    graph.setEdge(edge.source, edge.target, { weight: 1, minlen: 1 }, `${index}`);
  }
  layout(graph);
  const placed = nodes.map((node) => ({ id: node.id, label: graph.node(node.id) }));
  const top = Math.min(...placed.map(({ label }) => label.y - NODE_SIZE.height / 2));
  const startX = start ? graph.node(start.id).x : 0;
  const positions = new Map<string, NodePosition>();
  for (const { id, label } of placed) {
    positions.set(id, {
      x: Math.round(label.x - startX - NODE_SIZE.width / 2),
      y: Math.round(label.y - NODE_SIZE.height / 2 - top),
    });
  }
  return positions;
}
