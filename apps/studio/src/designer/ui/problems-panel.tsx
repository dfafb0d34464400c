"use client";

import { type FlowDocument, type FlowProblem, formatFlowPath, nodeCatalog } from "@parley/flow-schema";
import { problemTone } from "../core/problem-tones";

/** Every validation problem (a hint for a step not done, or an error); clicking one focuses its node. */
export function ProblemsPanel({
  doc,
  problems,
  onFocus,
}: {
  doc: FlowDocument;
  problems: readonly FlowProblem[];
  onFocus: (nodeId: string) => void;
}) {
  const titleOf = (nodeId: string) => {
    const node = doc.nodes.find((n) => n.id === nodeId);
    return node ? node.label || nodeCatalog[node.kind].label : nodeId;
  };
  if (problems.length === 0)
    return (
      <p className="muted side-section" data-testid="problems-empty">
        No problems: the flow can be published.
      </p>
    );
  return (
    <ul className="problems side-section" data-testid="problems-list">
      {problems.map((problem, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: problems have no id
        <li key={index}>
          <button
            type="button"
            className="link-button"
            disabled={!problem.nodeId}
            onClick={() => problem.nodeId && onFocus(problem.nodeId)}
          >
            {problemTone(problem) === "error" ? (
              <span className="badge danger" title={problem.code}>
                error
              </span>
            ) : (
              <span className="badge" title={problem.code}>
                to do
              </span>
            )}{" "}
            {problem.message}
            <div className="muted">
              {problem.nodeId ? titleOf(problem.nodeId) : formatFlowPath(problem.path)}
            </div>
          </button>
        </li>
      ))}
    </ul>
  );
}
