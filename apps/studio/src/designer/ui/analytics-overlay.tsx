"use client";

import type { NodeAnalytics } from "@parley/contract";
import { Checkbox, Text } from "@radix-ui/themes";
import { Panel, useNodes, ViewportPortal } from "@xyflow/react";
import dynamic from "next/dynamic";
import { useCan } from "../../client/session";
import { useNodeAnalytics } from "./hooks/use-node-analytics";

// The version and range pickers load when the overlay is first switched on (the designer's first
// load is the canvas).
// `loading` gives it a Suspense boundary of its own: without one the whole designer would suspend
// (and remount, losing the toggle) while the chunk loads.
const OverlayPickers = dynamic(
  () => import("./analytics-overlay-pickers").then((module) => module.OverlayPickers),
  { loading: () => null },
);

const percent = (share: number) => `${Math.round(share * 100)}%`;

/** Per node: how many entered, and where they left (exits by handle, waiting, dropped). */
function NodeBadges({ data }: { data: NodeAnalytics }) {
  const nodes = useNodes();
  const byId = new Map(data.nodes.map((row) => [row.nodeId, row]));
  return (
    <>
      {nodes.map((node) => {
        const row = byId.get(node.id);
        if (!row) return null;
        const left = [
          ...Object.entries(row.exits).map(([handle, count]) => `${handle} ${count}`),
          ...(row.waiting ? [`waiting ${row.waiting}`] : []),
          ...(row.dropped ? [`dropped ${row.dropped}`] : []),
        ].join(" · ");
        const dropShare = row.entered === 0 ? 0 : row.dropped / row.entered;
        return (
          <div
            key={node.id}
            className={`analytics-badge${dropShare >= 0.2 ? " hot" : ""}`}
            data-testid={`analytics-node-${node.id}`}
            style={{ transform: `translate(${node.position.x}px, ${node.position.y - 26}px)` }}
            title={`${row.entered} entered; ${left || "none left"}`}
          >
            <strong>{row.entered}</strong> in{left ? ` → ${left}` : ""}
          </div>
        );
      })}
    </>
  );
}

/** Per edge: the share of its source node's visits that took it, half-way between the two nodes. */
function EdgeShares({ data }: { data: NodeAnalytics }) {
  const nodes = useNodes();
  const byId = new Map(nodes.map((node) => [node.id, node]));
  return (
    <>
      {data.edges.map((edge) => {
        const source = byId.get(edge.source);
        const target = byId.get(edge.target);
        if (!source || !target || edge.count === 0) return null;
        const width = (n: typeof source) => n.measured?.width ?? 180;
        const height = (n: typeof source) => n.measured?.height ?? 60;
        const x = (source.position.x + width(source) / 2 + target.position.x + width(target) / 2) / 2;
        const y = (source.position.y + height(source) + target.position.y) / 2;
        return (
          <div
            key={edge.edgeId}
            className="analytics-edge-share"
            data-testid={`analytics-edge-${edge.edgeId}`}
            style={{ transform: `translate(${x}px, ${y}px) translate(-50%, -50%)` }}
            title={`${edge.count} took ${edge.sourceHandle}`}
          >
            {percent(edge.share)}
          </div>
        );
      })}
    </>
  );
}

/**
 * The designer's drop-off overlay (Voiceflow/Typebot style): a toggle with a version and date range
 * picker, and, while on, per node the visits that entered and how they left, per edge the share that
 * took it. Rendered inside <ReactFlow>; shown to members who may read analytics.
 */
export function AnalyticsOverlay({ flowId }: { flowId: string }) {
  const canRead = useCan("analytics:read");
  const state = useNodeAnalytics(flowId);
  if (!canRead) return null;
  return (
    <>
      <Panel position="top-right" className="analytics-panel nokey">
        <Text as="label" size="1" style={{ display: "flex", gap: "var(--space-2)", alignItems: "center" }}>
          <Checkbox
            size="1"
            checked={state.enabled}
            onCheckedChange={(checked) => state.setEnabled(checked === true)}
            data-testid="analytics-toggle"
          />
          Drop-off
        </Text>
        {state.enabled && <OverlayPickers state={state} />}
      </Panel>
      {state.data && (
        <ViewportPortal>
          <NodeBadges data={state.data} />
          <EdgeShares data={state.data} />
        </ViewportPortal>
      )}
    </>
  );
}
