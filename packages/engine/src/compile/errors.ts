/** One reason a flow cannot be compiled, in the same shape as flow-schema's validation problems. */
export interface CompileProblem {
  nodeId: string | null;
  path: (string | number)[];
  code:
    | "invalid-document"
    | "no-start"
    | "several-starts"
    | "dangling-edge"
    | "unknown-jump-target"
    | "missing-subflow"
    | "subflow-recursion";
  message: string;
}

/** Thrown by `compile` when a flow cannot become a machine; lists every problem found. */
export class FlowCompileError extends Error {
  override readonly name = "FlowCompileError";
  constructor(readonly problems: CompileProblem[]) {
    super(
      `Flow cannot be compiled:\n${problems
        .map((problem) => `- ${problem.nodeId ? `node ${problem.nodeId}: ` : ""}${problem.message} (${problem.code})`)
        .join("\n")}`,
    );
  }
}
