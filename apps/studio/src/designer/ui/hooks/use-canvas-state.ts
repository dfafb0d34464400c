"use client";

import type { FlowDocument } from "@parley/flow-schema";
import {
  applyEdgeChanges,
  applyNodeChanges,
  type Edge,
  type EdgeChange,
  type Node,
  type NodeChange,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  buildCanvasEdges,
  buildCanvasNodes,
  type CanvasDecorations,
  type CanvasEdge,
  type CanvasNode,
  traversedEdges,
} from "../../core/canvas-model";

/**
 * The React Flow nodes and edges drawn from the document. The document stays the source of truth:
 * removals go through document edits, so only selection and drag moves are applied here. Nodes
 * named with `selectAfterNextBuild` (just added or pasted) come out selected.
 */
export function useCanvasState(
  doc: FlowDocument,
  decorations: CanvasDecorations,
  visitedInOrder: readonly string[],
) {
  const [nodes, setNodes] = useState<CanvasNode[]>(() => buildCanvasNodes(doc, { problems: [] }));
  const [edges, setEdges] = useState<CanvasEdge[]>(() => buildCanvasEdges(doc));
  const selectNext = useRef<Set<string> | null>(null);
  const traversed = useMemo(() => traversedEdges(doc, visitedInOrder), [doc, visitedInOrder]);

  useEffect(() => {
    setNodes((previous) => {
      const built = buildCanvasNodes(doc, decorations, previous);
      const select = selectNext.current;
      if (!select) return built;
      selectNext.current = null;
      return built.map((node) =>
        select.has(node.id) !== (node.selected ?? false) ? { ...node, selected: select.has(node.id) } : node,
      );
    });
  }, [doc, decorations]);
  useEffect(() => setEdges((previous) => buildCanvasEdges(doc, previous, traversed)), [doc, traversed]);

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    const kept = changes.filter((c) => c.type !== "remove");
    setNodes(
      (current) =>
        applyNodeChanges(kept as NodeChange<Node>[], current as unknown as Node[]) as unknown as CanvasNode[],
    );
  }, []);
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const kept = changes.filter((c) => c.type !== "remove");
    setEdges(
      (current) =>
        applyEdgeChanges(kept as EdgeChange<Edge>[], current as unknown as Edge[]) as unknown as CanvasEdge[],
    );
  }, []);

  const selectAfterNextBuild = useCallback((nodeIds: Iterable<string>) => {
    selectNext.current = new Set(nodeIds);
  }, []);
  const selectOnly = useCallback(
    (nodeId: string) =>
      setNodes((current) =>
        current.map((n) => (n.selected !== (n.id === nodeId) ? { ...n, selected: n.id === nodeId } : n)),
      ),
    [],
  );
  const selectAll = useCallback(
    () => setNodes((current) => current.map((n) => (n.selected ? n : { ...n, selected: true }))),
    [],
  );
  const selectedIds = useMemo(() => nodes.filter((n) => n.selected).map((n) => n.id), [nodes]);

  return {
    nodes,
    edges,
    onNodesChange,
    onEdgesChange,
    selectedIds,
    selectAfterNextBuild,
    selectOnly,
    selectAll,
  };
}
