"use client";

import { type NodeKind, nodeCatalog, nodeKinds } from "@parley/flow-schema";
import { createContext, useContext, useEffect, useRef } from "react";
import { NodeIcon } from "./icons";

/** Where a new node is asked for: the output it continues, and where on screen the picker opens. */
export interface NextNodeRequest {
  readonly source: string;
  readonly sourceHandle: string;
  /** Screen point (client coordinates) for the picker. */
  readonly screen: { readonly x: number; readonly y: number };
  /** Where to put the node (flow coordinates): the drop point of a wire; absent: below the source. */
  readonly position?: { readonly x: number; readonly y: number };
}

/** Opens the kind picker for an output handle; null when the flow cannot be edited. */
export const NextNodeContext = createContext<((request: NextNodeRequest) => void) | null>(null);

/** The "add next node" opener of the canvas, for the node components. */
export function useNextNode() {
  return useContext(NextNodeContext);
}

/** A small menu of node kinds (start excluded); picking one adds it after the output. */
export function NextNodePicker({
  request,
  onPick,
  onClose,
}: {
  request: NextNodeRequest;
  onPick: (kind: NodeKind) => void;
  onClose: () => void;
}) {
  const menu = useRef<HTMLDivElement>(null);
  useEffect(() => {
    menu.current?.querySelector("button")?.focus();
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && onClose();
    const onPointer = (event: PointerEvent) => {
      if (!menu.current?.contains(event.target as Node)) onClose();
    };
    window.addEventListener("keydown", onKey);
    window.addEventListener("pointerdown", onPointer);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("pointerdown", onPointer);
    };
  }, [onClose]);
  const left = Math.min(request.screen.x, window.innerWidth - 230);
  const top = Math.min(request.screen.y, window.innerHeight - 420);
  return (
    <div
      ref={menu}
      className="next-node-picker"
      role="menu"
      aria-label="Add next node"
      data-testid="next-node-picker"
      style={{ left, top }}
    >
      <div className="muted next-node-title">Add next node</div>
      {nodeKinds
        .filter((kind) => kind !== "start")
        .map((kind) => (
          <button
            key={kind}
            type="button"
            role="menuitem"
            className="next-node-item"
            data-testid={`next-node-${kind}`}
            title={nodeCatalog[kind].description}
            onClick={() => onPick(kind)}
          >
            <NodeIcon name={nodeCatalog[kind].icon} />
            {nodeCatalog[kind].label}
          </button>
        ))}
    </div>
  );
}
