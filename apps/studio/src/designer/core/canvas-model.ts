import {
  describeOutputHandles,
  type FlowDocument,
  type FlowEdge,
  type FlowNode,
  type FlowProblem,
  type OutputHandle,
} from "@parley/flow-schema";
import type { NodeChange } from "./diff";
import { orderProblems } from "./problem-tones";

/** What a node component draws: the node, its handles, its problems and highlights. */
export interface CanvasNodeData extends Record<string, unknown> {
  readonly node: FlowNode;
  readonly handles: readonly OutputHandle[];
  readonly problems: readonly FlowProblem[];
  /** The test chat is executing (or last executed) this node. */
  readonly active: boolean;
  /** The node was visited during the last test turn. */
  readonly visited: boolean;
  /** How the node differs from a compared version, when a diff is shown. */
  readonly change: NodeChange | undefined;
}

/** A canvas node in the shape React Flow expects (type "flow" is our one node component). */
export interface CanvasNode {
  readonly id: string;
  readonly type: "flow";
  readonly position: { x: number; y: number };
  readonly data: CanvasNodeData;
  readonly selected?: boolean;
}

/** A canvas edge in the shape React Flow expects. */
export interface CanvasEdge {
  readonly id: string;
  readonly source: string;
  readonly sourceHandle: string;
  readonly target: string;
  readonly selected?: boolean;
  readonly animated?: boolean;
  readonly className?: string;
}

/** Highlights drawn on top of the document. */
export interface CanvasDecorations {
  readonly problems: readonly FlowProblem[];
  readonly activeNodeId?: string | null;
  readonly visitedNodeIds?: ReadonlySet<string>;
  readonly changes?: ReadonlyMap<string, NodeChange>;
}

/** Problems grouped by node id (document-level problems under `null`), each list in showing order. */
export function problemsByNode(problems: readonly FlowProblem[]): Map<string | null, FlowProblem[]> {
  const grouped = new Map<string | null, FlowProblem[]>();
  for (const problem of problems) {
    const list = grouped.get(problem.nodeId);
    if (list) list.push(problem);
    else grouped.set(problem.nodeId, [problem]);
  }
  for (const [nodeId, list] of grouped) grouped.set(nodeId, orderProblems(list));
  return grouped;
}

const NO_PROBLEMS: readonly FlowProblem[] = Object.freeze([]);

/**
 * Derives the canvas nodes from the document. A node object from `previous` is reused when neither
 * its flow node nor its decorations changed, so React Flow re-renders only what changed (this is
 * what keeps a 500-node canvas responsive). Selection is carried over from `previous`.
 */
export function buildCanvasNodes(
  doc: FlowDocument,
  decorations: CanvasDecorations,
  previous: readonly CanvasNode[] = [],
): CanvasNode[] {
  const before = new Map(previous.map((node) => [node.id, node]));
  const grouped = problemsByNode(decorations.problems);
  return doc.nodes.map((node) => {
    const old = before.get(node.id);
    const problems = grouped.get(node.id) ?? NO_PROBLEMS;
    const active = decorations.activeNodeId === node.id;
    const visited = decorations.visitedNodeIds?.has(node.id) ?? false;
    const change = decorations.changes?.get(node.id);
    if (
      old &&
      old.data.node === node &&
      old.data.active === active &&
      old.data.visited === visited &&
      old.data.change === change &&
      sameProblems(old.data.problems, problems)
    ) {
      return old;
    }
    const handles = old && old.data.node.data === node.data ? old.data.handles : describeOutputHandles(node);
    return {
      id: node.id,
      type: "flow",
      position: node.position,
      data: { node, handles, problems, active, visited, change },
      ...(old?.selected ? { selected: true } : {}),
    };
  });
}

/** Derives the canvas edges; reuses previous edge objects and their selection. */
export function buildCanvasEdges(
  doc: FlowDocument,
  previous: readonly CanvasEdge[] = [],
  traversed: ReadonlySet<string> = new Set(),
): CanvasEdge[] {
  const before = new Map(previous.map((edge) => [edge.id, edge]));
  return doc.edges.map((edge: FlowEdge) => {
    const old = before.get(edge.id);
    const animated = traversed.has(edge.id);
    if (
      old &&
      old.source === edge.source &&
      old.target === edge.target &&
      old.sourceHandle === edge.sourceHandle &&
      (old.animated ?? false) === animated
    ) {
      return old;
    }
    return {
      id: edge.id,
      source: edge.source,
      sourceHandle: edge.sourceHandle,
      target: edge.target,
      ...(animated ? { animated: true } : {}),
      ...(old?.selected ? { selected: true } : {}),
    };
  });
}

/** Edges followed between consecutive visited nodes of a test turn. */
export function traversedEdges(doc: FlowDocument, visitedInOrder: readonly string[]): Set<string> {
  const edges = new Set<string>();
  for (let i = 1; i < visitedInOrder.length; i++) {
    const from = visitedInOrder[i - 1];
    const to = visitedInOrder[i];
    const edge = doc.edges.find((e) => e.source === from && e.target === to);
    if (edge) edges.add(edge.id);
  }
  return edges;
}

function sameProblems(a: readonly FlowProblem[], b: readonly FlowProblem[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return a.every((p, i) => p.code === b[i]?.code && p.message === b[i]?.message);
}
