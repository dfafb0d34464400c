"use client";

import { kindColour } from "../../designer/core/kind-colours";

/** A template's layout as the `flows.templates` procedure gives it. */
export interface TemplatePreviewData {
  nodes: { id: string; kind: string; title: string; x: number; y: number }[];
  edges: { source: string; target: string }[];
}

const NODE_W = 180;
const NODE_H = 56;

/**
 * A small read-only picture of a flow drawn from its stored layout: one rounded box per node in its
 * kind's colour, a line per connection. An SVG (no React Flow instance per card: the gallery stays
 * light), hidden from screen readers; the card says the same in words.
 */
export function TemplatePreview({ preview }: { preview: TemplatePreviewData }) {
  if (preview.nodes.length === 0) return null;
  const xs = preview.nodes.map((node) => node.x);
  const ys = preview.nodes.map((node) => node.y);
  const pad = 40;
  const minX = Math.min(...xs) - pad;
  const minY = Math.min(...ys) - pad;
  const width = Math.max(...xs) + NODE_W + pad - minX;
  const height = Math.max(...ys) + NODE_H + pad - minY;
  const byId = new Map(preview.nodes.map((node) => [node.id, node]));
  return (
    <svg
      className="template-preview"
      viewBox={`${minX} ${minY} ${width} ${height}`}
      preserveAspectRatio="xMidYMid meet"
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
  );
}
