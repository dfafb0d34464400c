"use client";

import { type NodeKind, nodeCatalog, nodeKinds } from "@parley/flow-schema";
import { kindColour } from "../core/kind-colours";
import { NodeIcon } from "./icons";

/** Mime type of a palette drag (the node kind is the payload). */
export const PALETTE_MIME = "application/x-parley-node-kind";

/** Every node kind with icon and one-line description; drag onto the canvas (or click: added in the middle) to add. */
export function Palette({ onAdd, disabled }: { onAdd: (kind: NodeKind) => void; disabled: boolean }) {
  return (
    <nav className="palette" aria-label="Node palette">
      {nodeKinds.map((kind) => {
        const entry = nodeCatalog[kind];
        return (
          <button
            type="button"
            key={kind}
            className="palette-item"
            data-testid={`palette-${kind}`}
            draggable={!disabled}
            title={entry.description}
            onDragStart={(event) => {
              event.dataTransfer.setData(PALETTE_MIME, kind);
              event.dataTransfer.effectAllowed = "move";
            }}
            disabled={disabled}
            onClick={() => onAdd(kind)}
          >
            <span style={{ color: kindColour(kind) }}>
              <NodeIcon name={entry.icon} />
            </span>
            <div>
              <div className="palette-label">{entry.label}</div>
              <div className="palette-description">{entry.description}</div>
            </div>
          </button>
        );
      })}
    </nav>
  );
}
