import type { AttemptRecord } from "./accounting/call-record";

/** A node or the CLI named a route the tenant does not have. */
export class RouteNotFoundError extends Error {
  override readonly name = "RouteNotFoundError";
  constructor(
    readonly route: string,
    readonly known: readonly string[],
  ) {
    super(
      `model route "${route}" does not exist (configured routes: ${known.length > 0 ? known.join(", ") : "none"})`,
    );
  }
}

/** Every target of the route failed or was skipped. */
export class AllModelsFailedError extends Error {
  override readonly name = "AllModelsFailedError";
  constructor(
    readonly route: string,
    readonly attempts: readonly AttemptRecord[],
  ) {
    const tried = attempts
      .map(
        (attempt) =>
          `${attempt.provider}/${attempt.model}: ${attempt.outcome}${attempt.error ? ` (${attempt.error})` : ""}`,
      )
      .join("; ");
    super(`no model of route "${route}" could answer: ${tried || "no target was eligible"}`);
  }
}

/** A stream failed after tokens had reached the caller, so falling back would repeat or contradict them. */
export class StreamInterruptedError extends Error {
  override readonly name = "StreamInterruptedError";
  constructor(
    readonly provider: string,
    readonly model: string,
    /** The text streamed before the failure (restored, if masking was on). */
    readonly partialText: string,
    cause: unknown,
  ) {
    super(
      `the answer from ${provider}/${model} was cut off after ${partialText.length} characters: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
  }
}

/** The monthly budget is spent and its action is to block. */
export class BudgetExceededError extends Error {
  override readonly name = "BudgetExceededError";
  constructor(
    readonly scope: "tenant" | "bot",
    readonly limitUsd: number,
    readonly spentUsd: number,
  ) {
    super(
      `the ${scope}'s monthly model budget is spent ($${spentUsd.toFixed(4)} of $${limitUsd.toFixed(2)}); calls are blocked until next month`,
    );
  }
}
