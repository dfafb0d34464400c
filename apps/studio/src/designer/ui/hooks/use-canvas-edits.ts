"use client";

import type { FlowDocument, NodeKind } from "@parley/flow-schema";
import { type Connection, type Edge, type Node, useReactFlow } from "@xyflow/react";
import { useCallback } from "react";
import { addNode, connect, EditRefused, moveNodes, removeElements } from "../../core/document-ops";
import { layeredLayout } from "../../core/layout";
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
  const autoLayout = useCallback(() => {
    commit(moveNodes(doc, layeredLayout(doc)));
    setTimeout(() => void flow.fitView({ duration: 300 }), 50);
  }, [doc, commit, flow]);

  return { onNodeDragStop, onDelete, onConnect, onDrop, addAtCentre, autoLayout };
}
