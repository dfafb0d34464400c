import type { FlowProblem, FlowProblemCode } from "@parley/flow-schema";

/**
 * How the designer shows a problem: `error` (red) for a real mistake, `todo` (a quiet hint) for a
 * step not done yet while building: an output not connected, a node not reached, a message or
 * question not written, a jump or subflow target not chosen. Both still block publishing.
 */
export type ProblemTone = "error" | "todo";

const TODO_CODES: ReadonlySet<FlowProblemCode> = new Set<FlowProblemCode>([
  "empty-message",
  "ask-without-prompt",
  "missing-jump-target",
  "unknown-subflow",
  "unconnected-handle",
  "unreachable-node",
]);

/** Connection hints come after what to fill in on the node itself. */
const LATER_CODES: ReadonlySet<FlowProblemCode> = new Set<FlowProblemCode>([
  "unconnected-handle",
  "unreachable-node",
]);

/** The tone of a problem. */
export function problemTone(problem: Pick<FlowProblem, "code">): ProblemTone {
  return TODO_CODES.has(problem.code) ? "todo" : "error";
}

function rank(problem: FlowProblem): number {
  if (problemTone(problem) === "error") return 0;
  return LATER_CODES.has(problem.code) ? 2 : 1;
}

/**
 * A node's problems in the order to show them: mistakes first, then what to fill in, then what to
 * connect (stable otherwise). The canvas shows the first one, so a new node shows one clear hint.
 */
export function orderProblems(problems: readonly FlowProblem[]): FlowProblem[] {
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => rank(a.problem) - rank(b.problem) || a.index - b.index)
    .map(({ problem }) => problem);
}

/** The tone of a node with these problems: error if any is, todo if only hints, null if none. */
export function nodeTone(problems: readonly FlowProblem[]): ProblemTone | null {
  if (problems.length === 0) return null;
  return problems.some((p) => problemTone(p) === "error") ? "error" : "todo";
}
