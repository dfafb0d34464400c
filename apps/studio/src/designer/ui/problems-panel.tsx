"use client";

import { type FlowProblem, formatFlowPath } from "@parley/flow-schema";

/** Every validation problem; clicking one focuses its node. */
export function ProblemsPanel({
  problems,
  onFocus,
}: {
  problems: readonly FlowProblem[];
  onFocus: (nodeId: string) => void;
}) {
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
            <span className="badge danger">{problem.code}</span> {problem.message}
            <div className="muted">
              {problem.nodeId ? `node ${problem.nodeId}` : formatFlowPath(problem.path)}
            </div>
          </button>
        </li>
      ))}
    </ul>
  );
}
