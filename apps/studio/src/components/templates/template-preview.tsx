"use client";

import { kindColour } from "../../designer/core/kind-colours";

/** A template's layout as the `flows.templates` procedure gives it. */
export interface TemplatePreviewData {
  nodes: { id: string; kind: string; title: string; x: number; y: number }[];
  edges: { source: string; target: string }[];
}

const NODE_W = 180;
const NODE_H = 56;

/** The preview frame's shape (width / height, see home.css) and its zoom limits, in layout units. */
const ASPECT = 1.5;
const MIN_VIEW_W = 560;
const MAX_VIEW_W = 1100;
/** How many nodes from the start a preview makes sure to show at a readable size. */
const FIRST_NODES = 4;

type LaidOut = { id: string; x: number; y: number; kind: string };

/** The first nodes of a flow as a visitor meets them: breadth-first from the start along its edges. */
function firstNodes(
  nodes: readonly LaidOut[],
  edges: readonly { source: string; target: string }[],
  count: number,
): LaidOut[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const start = nodes.find((node) => node.kind === "start") ?? nodes[0];
  if (!start) return [];
  const seen = new Set([start.id]);
  const order = [start];
  for (let at = 0; at < order.length && order.length < count; at++) {
    for (const edge of edges) {
      const next = edge.source === order[at]?.id ? byId.get(edge.target) : undefined;
      if (next && !seen.has(next.id) && order.length < count) {
        seen.add(next.id);
        order.push(next);
      }
    }
  }
  return order;
}

/**
 * The part of a flow a preview shows: the box of its first {@link FIRST_NODES} nodes, widened to the
 * frame's shape (at least {@link MIN_VIEW_W} units so a short flow is not blown up, at most
 * {@link MAX_VIEW_W}), and the whole flow when it fits in that; `cropped` says which sides the
 * flow goes on beyond it (they fade out).
 */
export function previewWindow(
  nodes: readonly LaidOut[],
  edges: readonly { source: string; target: string }[] = [],
) {
  const pad = 30;
  const box = (of: readonly LaidOut[]) => ({
    minX: Math.min(...of.map((node) => node.x)) - pad,
    minY: Math.min(...of.map((node) => node.y)) - pad,
    maxX: Math.max(...of.map((node) => node.x)) + NODE_W + pad,
    maxY: Math.max(...of.map((node) => node.y)) + NODE_H + pad,
  });
  const all = box(nodes);
  const first = box(firstNodes(nodes, edges, FIRST_NODES));
  const fullW = all.maxX - all.minX;
  const fullH = all.maxY - all.minY;
  const firstW = first.maxX - first.minX;
  const firstH = first.maxY - first.minY;
  const needed = Math.max(firstW, firstH * ASPECT, MIN_VIEW_W);
  // The whole flow when it fits at the first nodes' zoom (or a little less), else those nodes.
  const whole = Math.max(fullW, fullH * ASPECT);
  const width = Math.min(whole <= needed * 1.25 ? whole : needed, MAX_VIEW_W);
  const height = width / ASPECT;
  const centre = (first.minX + first.maxX) / 2;
  const x =
    fullW <= width
      ? all.minX - (width - fullW) / 2
      : Math.min(Math.max(centre - width / 2, all.minX), all.maxX - width);
  const y = fullH <= height ? all.minY - (height - fullH) / 2 : all.minY;
  return { x, y, width, height, cropped: { bottom: all.maxY > y + height, sides: fullW > width } };
}

/**
 * A small read-only picture of a flow drawn from its stored layout: one rounded box per node in its
 * kind's colour, a line per connection. A tall or very wide flow shows its beginning at a readable
 * size and fades out where it goes on. An SVG (no React Flow instance per card: the gallery stays
 * light), hidden from screen readers; the card says the same in words.
 */
export function TemplatePreview({ preview }: { preview: TemplatePreviewData }) {
  if (preview.nodes.length === 0) return null;
  const view = previewWindow(preview.nodes, preview.edges);
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
