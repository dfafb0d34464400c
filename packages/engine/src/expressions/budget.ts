/**
 * Limits applied to one JSONata evaluation. JSONata is the only language tenants write logic in
 * (no eval/Function/vm); these limits bound what one expression may cost in CPU time and memory,
 * whatever built-in it calls, so a hostile or careless expression hurts only its own turn.
 */
export interface ExpressionBudget {
  /**
   * CPU time (ms) the evaluation may use. Counted per evaluation step; time spent waiting for
   * other work (a long evaluation yields the event loop every `sliceMs`) is not counted.
   */
  timeoutMs: number;
  /** Wall-clock time (ms) an evaluation may take, waits included. */
  maxWallMs: number;
  /** Maximum evaluation depth (recursion). */
  maxDepth: number;
  /** Maximum length of any sequence or array built while evaluating. */
  maxSequence: number;
  /** Maximum length (UTF-16 code units) of any string built while evaluating. */
  maxStringLength: number;
  /**
   * Memory the built-ins of one evaluation may allocate in total, in characters (an array item
   * counts as 8): values that are each within the limits cannot add up past it.
   */
  maxAllocated: number;
  /** Maximum length of a string a regular expression is run on (linear-time engine, still linear). */
  maxRegexInput: number;
  /** Maximum JSON size (UTF-16 code units) of the input document. */
  maxInputSize: number;
  /** Maximum JSON size (UTF-16 code units) of the result. */
  maxResultSize: number;
}

/** Budget used when a caller does not give one. */
export const defaultExpressionBudget: ExpressionBudget = {
  timeoutMs: 250,
  maxWallMs: 5_000,
  maxDepth: 200,
  maxSequence: 100_000,
  maxStringLength: 2_000_000,
  maxAllocated: 32_000_000,
  maxRegexInput: 100_000,
  maxInputSize: 1_000_000,
  maxResultSize: 100_000,
};

/** Why an expression could not produce a value. */
export type ExpressionErrorCode =
  | "EXPRESSION_SYNTAX"
  | "EXPRESSION_TIMEOUT"
  | "EXPRESSION_TOO_DEEP"
  | "EXPRESSION_TOO_LARGE"
  | "EXPRESSION_INPUT_TOO_LARGE"
  | "EXPRESSION_RESULT_TOO_LARGE"
  | "EXPRESSION_UNSUPPORTED"
  | "EXPRESSION_FAILED";

/** A JSONata expression failed to parse, blew its budget, or raised an error. */
export class ExpressionError extends Error {
  override readonly name = "ExpressionError";
  constructor(
    readonly code: ExpressionErrorCode,
    message: string,
    readonly expression: string,
  ) {
    super(message);
  }
}

/**
 * A budget limit hit inside an evaluation step; `evaluateExpression` turns it into an
 * {@link ExpressionError} carrying the source. Thrown from hooks and bounded built-ins.
 */
export class BudgetExceeded extends Error {
  override readonly name = "BudgetExceeded";
  constructor(
    readonly code: ExpressionErrorCode,
    message: string,
  ) {
    super(message);
  }
}
