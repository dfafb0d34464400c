import type { FlowProblem, FlowProblemCode } from "@parley/flow-schema";

/**
 * One reason a flow cannot be compiled: a flow-schema problem (same codes and paths as
 * `validateFlow`), or `subflow-recursion`, which only compilation (inlining) detects.
 */
export type CompileProblem = Omit<FlowProblem, "code"> & { code: FlowProblemCode | "subflow-recursion" };

/** Thrown by `compile` when a flow cannot become a machine; lists every problem found. */
export class FlowCompileError extends Error {
  override readonly name = "FlowCompileError";
  constructor(readonly problems: CompileProblem[]) {
    super(
      `Flow cannot be compiled:\n${problems
        .map(
          (problem) =>
            `- ${problem.nodeId ? `node ${problem.nodeId}: ` : ""}${problem.message} (${problem.code})`,
        )
        .join("\n")}`,
    );
  }
}
