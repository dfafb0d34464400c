"use client";

import type { FlowDocument, NodeKind } from "@parley/flow-schema";
import {
  type Connection,
  type Edge,
  type FinalConnectionState,
  type Node,
  useReactFlow,
} from "@xyflow/react";
import { useCallback, useState } from "react";
import {
  addConnectedNode,
  addNode,
  connect,
  EditRefused,
  moveNodes,
  removeElements,
} from "../../core/document-ops";
import type { NextNodeRequest } from "../next-node-picker";
import { PALETTE_MIME } from "../palette";

interface CanvasEditOptions {
  readonly doc: FlowDocument;
  readonly commit: (next: FlowDocument, coalesceKey?: string) => void;
  readonly canEdit: boolean;
  /** Shows why an edit was refused (e.g. connecting an output twice). */
  readonly onRefused: (message: string) => void;
  /** Selects the given nodes once the canvas is rebuilt (a node just added). */
  readonly selectAfterNextBuild: (nodeIds: Iterable<string>) => void;
}

/**
 * Canvas gestures turned into document edits: drag, delete, connect, drop from the palette, add at
 * a point, auto-layout. A viewer's gestures change nothing.
 */
export function useCanvasEdits({ doc, commit, canEdit, onRefused, selectAfterNextBuild }: CanvasEditOptions) {
  const flow = useReactFlow();

  const attempt = useCallback(
    (edit: () => void) => {
      try {
        edit();
      } catch (error) {
        if (error instanceof EditRefused) onRefused(error.message);
        else throw error;
      }
    },
    [onRefused],
  );

  const onNodeDragStop = useCallback(
    (_event: unknown, _node: Node, dragged: Node[]) => {
      if (!canEdit) return;
      commit(moveNodes(doc, new Map(dragged.map((n) => [n.id, n.position]))));
    },
    [doc, commit, canEdit],
  );
  const onDelete = useCallback(
    ({ nodes: gone, edges: cut }: { nodes: Node[]; edges: Edge[] }) => {
      if (!canEdit) return;
      commit(removeElements(doc, { nodeIds: gone.map((n) => n.id), edgeIds: cut.map((e) => e.id) }));
    },
    [doc, commit, canEdit],
  );
  const onConnect = useCallback(
    (connection: Connection) => {
      if (!canEdit || !connection.sourceHandle) return;
      const handle = connection.sourceHandle;
      attempt(() =>
        commit(
          connect(doc, { source: connection.source, sourceHandle: handle, target: connection.target }).doc,
        ),
      );
    },
    [doc, commit, attempt, canEdit],
  );
  /**
   * A wire let go anywhere but on an input handle: on a node's body it connects to that node (the
   * input bar alone is a small target); on empty canvas it offers to add the next node there.
   */
  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      const from = state.fromNode?.id;
      const handle = state.fromHandle;
      if (!canEdit || state.isValid || !from || !handle?.id || handle.type !== "source") return;
      const point = "changedTouches" in event ? event.changedTouches[0] : event;
      if (!point) return;
      const under = document.elementFromPoint(point.clientX, point.clientY);
      const target = under?.closest(".react-flow__node")?.getAttribute("data-id");
      if (target) {
        const kind = doc.nodes.find((n) => n.id === target)?.kind;
        if (target === from || kind === "start") return;
        attempt(() => commit(connect(doc, { source: from, sourceHandle: handle.id as string, target }).doc));
        return;
      }
      if (!under?.closest(".react-flow__pane")) return;
      const position = flow.screenToFlowPosition({ x: point.clientX, y: point.clientY });
      setNextNode({
        source: from,
        sourceHandle: handle.id,
        screen: { x: point.clientX, y: point.clientY },
        position: { x: position.x - 100, y: position.y },
      });
    },
    [doc, commit, attempt, canEdit, flow],
  );
  const [nextNode, setNextNode] = useState<NextNodeRequest | null>(null);
  const addNextNode = useCallback(
    (kind: NodeKind) => {
      if (!nextNode) return;
      setNextNode(null);
      attempt(() => {
        const added = addConnectedNode(doc, kind, nextNode, nextNode.position);
        selectAfterNextBuild([added.nodeId]);
        commit(added.doc);
      });
    },
    [doc, commit, attempt, nextNode, selectAfterNextBuild],
  );
  const addAt = useCallback(
    (kind: NodeKind, position: { x: number; y: number }) =>
      attempt(() => {
        const added = addNode(doc, kind, position);
        selectAfterNextBuild([added.nodeId]);
        commit(added.doc);
      }),
    [doc, commit, attempt, selectAfterNextBuild],
  );
  const addAtCentre = useCallback(
    (kind: NodeKind) =>
      addAt(kind, flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 2 })),
    [addAt, flow],
  );
  const onDrop = useCallback(
    (event: React.DragEvent) => {
      event.preventDefault();
      const kind = event.dataTransfer.getData(PALETTE_MIME) as NodeKind;
      if (!kind || !canEdit) return;
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addAt(kind, { x: position.x - 90, y: position.y - 20 });
    },
    [flow, addAt, canEdit],
  );
  const autoLayout = useCallback(async () => {
    // The layout library loads on first use: it stays out of the designer's first load.
    const { layeredLayout } = await import("../../core/layout");
    commit(moveNodes(doc, layeredLayout(doc)));
    setTimeout(() => void flow.fitView({ duration: 300 }), 50);
  }, [doc, commit, flow]);

  return {
    onNodeDragStop,
    onDelete,
    onConnect,
    onConnectEnd,
    onDrop,
    addAtCentre,
    autoLayout,
    nextNode,
    openNextNode: canEdit ? setNextNode : null,
    closeNextNode: useCallback(() => setNextNode(null), []),
    addNextNode,
  };
}
