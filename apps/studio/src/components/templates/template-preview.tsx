"use client";

import { kindColour } from "../../designer/core/kind-colours";

/** A template's layout as the `flows.templates` procedure gives it. */
export interface TemplatePreviewData {
  nodes: { id: string; kind: string; title: string; x: number; y: number }[];
  edges: { source: string; target: string }[];
}

const NODE_W = 180;
const NODE_H = 56;

/** The preview's shape (width / height of its frame, see home.css) and its zoom limits, in layout units. */
const ASPECT = 1.8;
const MIN_VIEW_W = 640;
const MAX_VIEW_W = 1400;

/**
 * The part of a flow a preview shows: its whole width when that reads (at least {@link MIN_VIEW_W}
 * units wide so a one-column flow is not blown up, at most {@link MAX_VIEW_W} so a wide one stays
 * legible: then the part around the start), and from the top down as much as the frame's shape
 * allows; `cropped` says which sides go on beyond it (they fade out).
 */
export function previewWindow(nodes: readonly { x: number; y: number; kind: string }[]) {
  const pad = 40;
  const minX = Math.min(...nodes.map((node) => node.x)) - pad;
  const minY = Math.min(...nodes.map((node) => node.y)) - pad;
  const maxX = Math.max(...nodes.map((node) => node.x)) + NODE_W + pad;
  const maxY = Math.max(...nodes.map((node) => node.y)) + NODE_H + pad;
  const fullW = maxX - minX;
  const fullH = maxY - minY;
  // A taller flow zooms out a little (up to half again its width), then shows its top part.
  const width = Math.min(Math.max(fullW, Math.min(fullH * ASPECT, fullW * 1.5), MIN_VIEW_W), MAX_VIEW_W);
  const height = width / ASPECT;
  const start = nodes.find((node) => node.kind === "start") ?? nodes[0]!;
  const x =
    fullW <= width
      ? minX - (width - fullW) / 2
      : Math.min(Math.max(start.x + NODE_W / 2 - width / 2, minX), maxX - width);
  const y = fullH <= height ? minY - (height - fullH) / 2 : minY;
  return { x, y, width, height, cropped: { bottom: fullH > height, sides: fullW > width } };
}

/**
 * A small read-only picture of a flow drawn from its stored layout: one rounded box per node in its
 * kind's colour, a line per connection. A tall or very wide flow shows its beginning at a readable
 * size and fades out where it goes on. An SVG (no React Flow instance per card: the gallery stays
 * light), hidden from screen readers; the card says the same in words.
 */
export function TemplatePreview({ preview }: { preview: TemplatePreviewData }) {
  if (preview.nodes.length === 0) return null;
  const view = previewWindow(preview.nodes);
  const fade = view.cropped.bottom
    ? view.cropped.sides
      ? "both"
      : "bottom"
    : view.cropped.sides
      ? "sides"
      : "none";
  const byId = new Map(preview.nodes.map((node) => [node.id, node]));
  return (
    <div className="template-preview" data-fade={fade}>
      <svg
        viewBox={`${view.x} ${view.y} ${view.width} ${view.height}`}
        preserveAspectRatio="xMidYMin meet"
        aria-hidden="true"
        focusable="false"
      >
        {preview.edges.map((edge, index) => {
          const from = byId.get(edge.source);
          const to = byId.get(edge.target);
          if (!from || !to) return null;
          const x1 = from.x + NODE_W / 2;
          const y1 = from.y + NODE_H;
          const x2 = to.x + NODE_W / 2;
          const y2 = to.y;
          const mid = (y1 + y2) / 2;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: edges may repeat a pair; the order is stable.
            <path key={index} className="edge" d={`M${x1},${y1} C${x1},${mid} ${x2},${mid} ${x2},${y2}`} />
          );
        })}
        {preview.nodes.map((node) => (
          <g key={node.id}>
            <rect
              x={node.x}
              y={node.y}
              width={NODE_W}
              height={NODE_H}
              rx={10}
              fill="var(--color-panel-solid)"
              stroke={kindColour(node.kind)}
              strokeWidth={4}
            />
            <rect x={node.x} y={node.y} width={14} height={NODE_H} rx={6} fill={kindColour(node.kind)} />
            <text x={node.x + 26} y={node.y + NODE_H / 2 + 8} fontSize={22} fill="var(--gray-12)">
              {node.title.length > 13 ? `${node.title.slice(0, 12)}…` : node.title}
            </text>
          </g>
        ))}
      </svg>
    </div>
  );
}
