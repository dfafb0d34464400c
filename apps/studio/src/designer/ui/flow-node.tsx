"use client";

import { type ConditionNodeData, nodeCatalog } from "@parley/flow-schema";
import { Handle, type NodeProps, Position } from "@xyflow/react";
import { type CSSProperties, memo } from "react";
import type { CanvasNodeData } from "../core/canvas-model";
import { conditionSummary } from "../core/condition-rules";
import { kindColour } from "../core/kind-colours";
import { nodeTone } from "../core/problem-tones";
import { NodeIcon } from "./icons";
import { useNextNode } from "./next-node-picker";

/** A connector operation id in words: `create-contact` -> `Create contact`. */
const operationWords = (id: string) => {
  const words = id.replace(/[-_]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** Short text describing what a node does, shown under its title. */
function summary(data: CanvasNodeData): string {
  const node = data.node;
  const d = node.data as Record<string, unknown>;
  switch (node.kind) {
    case "message":
      return String(d.text ?? "");
    case "ask":
      return `${String(d.prompt ?? "")} → ${String(d.saveTo ?? "")}`;
    case "llm":
    case "knowledge":
      return String(d.prompt ?? d.question ?? "");
    case "http":
      // A connector operation names what it does ("HubSpot: Create contact"); method and URL are its own.
      if (d.operation) return `${String(d.integrationId ?? "")}: ${operationWords(String(d.operation))}`;
      return `${String(d.method ?? "GET")} ${String(d.url ?? "")}`;
    case "jump":
      return `→ ${String(d.targetNodeId || "?")}`;
    case "condition":
      return conditionSummary(node.data as ConditionNodeData).join("\n");
    case "set-variable":
      return `${(d.assignments as unknown[] | undefined)?.length ?? 0} assignment(s)`;
    default:
      return "";
  }
}

/**
 * One node on the canvas: icon, label, kind, a validation badge with the first message, and one
 * source handle per named output (as `describeOutputHandles` gives them). Memoised: a node re-renders
 * only when its data object changes (see buildCanvasNodes).
 */
export const FlowNodeView = memo(function FlowNodeView({
  data,
  selected,
}: NodeProps & { data: CanvasNodeData }) {
  const entry = nodeCatalog[data.node.kind];
  const problems = data.problems;
  const tone = nodeTone(problems);
  const classes = [
    "flow-node",
    selected ? "selected" : "",
    data.active ? "active" : "",
    data.visited ? "visited" : "",
    tone === "error" ? "has-problems" : tone === "todo" ? "has-todo" : "",
    data.change ? `change-${data.change}` : "",
  ].join(" ");
  const text = summary(data);
  const openNextNode = useNextNode();
  return (
    <div
      className={classes}
      data-testid={`node-${data.node.id}`}
      data-kind={data.node.kind}
      style={{ "--kind": kindColour(data.node.kind) } as CSSProperties}
    >
      {data.node.kind !== "start" && (
        <Handle type="target" position={Position.Top} className="target-handle" />
      )}
      <div className="flow-node-head">
        <NodeIcon name={entry.icon} />
        <span className="flow-node-title">{data.node.label || entry.label}</span>
        {problems.length > 0 && (
          <span
            className={`problem-badge ${tone ?? ""}`}
            title={problems.map((p) => p.message).join("\n")}
            data-testid="problem-badge"
          >
            {problems.length}
          </span>
        )}
      </div>
      {text && (
        <div className={data.node.kind === "condition" ? "flow-node-summary lines" : "flow-node-summary"}>
          {text}
        </div>
      )}
      {problems[0] && <div className={`flow-node-problem ${tone ?? ""}`}>{problems[0].message}</div>}
      {data.handles.length > 0 && (
        <div className="flow-node-handles">
          {data.handles.map((handle) => (
            <div key={handle.id} className="flow-node-handle">
              <span>{handle.label}</span>
              <Handle
                type="source"
                position={Position.Bottom}
                id={handle.id}
                className="source-handle"
                data-handle={handle.id}
              />
              {openNextNode && (
                <button
                  type="button"
                  className="add-next nodrag nopan"
                  aria-label={`Add next node after ${handle.label}`}
                  title="Add next node"
                  data-testid={`add-next-${handle.id}`}
                  onClick={(event) => {
                    event.stopPropagation();
                    const box = event.currentTarget.getBoundingClientRect();
                    openNextNode({
                      source: data.node.id,
                      sourceHandle: handle.id,
                      screen: { x: box.left, y: box.bottom + 4 },
                    });
                  }}
                >
                  +
                </button>
              )}
            </div>
          ))}
        </div>
      )}
    </div>
  );
});
