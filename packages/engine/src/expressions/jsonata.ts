import jsonata from "jsonata";

/**
 * Limits applied to one JSONata evaluation. JSONata is the only language tenants write logic in
 * (no eval/Function/vm); these limits keep a hostile or careless expression from hurting the turn.
 */
export interface ExpressionBudget {
  /** Wall-clock budget; checked by JSONata at every evaluation step. */
  timeoutMs: number;
  /** Maximum evaluation depth (recursion). */
  maxDepth: number;
  /** Maximum length of any sequence built while evaluating. */
  maxSequence: number;
  /** Maximum JSON size (UTF-16 code units) of the input document. */
  maxInputSize: number;
  /** Maximum JSON size (UTF-16 code units) of the result. */
  maxResultSize: number;
}

/** Budget used when a caller does not give one. */
export const defaultExpressionBudget: ExpressionBudget = {
  timeoutMs: 250,
  maxDepth: 200,
  maxSequence: 100_000,
  maxInputSize: 1_000_000,
  maxResultSize: 100_000,
};

/** Why an expression could not produce a value. */
export type ExpressionErrorCode =
  | "EXPRESSION_SYNTAX"
  | "EXPRESSION_TIMEOUT"
  | "EXPRESSION_TOO_DEEP"
  | "EXPRESSION_INPUT_TOO_LARGE"
  | "EXPRESSION_RESULT_TOO_LARGE"
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

type Compiled = ReturnType<typeof jsonata>;

/** Compiled expressions by budget + source; parsing is the expensive part of a cheap evaluation. */
const compiledCache = new Map<string, Compiled>();
const CACHE_LIMIT = 1000;

function compile(source: string, budget: ExpressionBudget): Compiled {
  const key = `${budget.timeoutMs}|${budget.maxDepth}|${budget.maxSequence}|${source}`;
  const hit = compiledCache.get(key);
  if (hit) return hit;
  let compiled: Compiled;
  try {
    compiled = jsonata(source, {
      timeout: budget.timeoutMs,
      stack: budget.maxDepth,
      sequence: budget.maxSequence,
    } as Parameters<typeof jsonata>[1]);
  } catch (error) {
    throw new ExpressionError("EXPRESSION_SYNTAX", `Invalid JSONata: ${describe(error)}`, source);
  }
  if (compiledCache.size >= CACHE_LIMIT) {
    const oldest = compiledCache.keys().next().value;
    if (oldest !== undefined) compiledCache.delete(oldest);
  }
  compiledCache.set(key, compiled);
  return compiled;
}

function describe(error: unknown): string {
  if (error && typeof error === "object") {
    const { message, code, position } = error as { message?: string; code?: string; position?: number };
    const where = typeof position === "number" ? ` at position ${position}` : "";
    return `${code ? `${code} ` : ""}${message ?? "unknown error"}${where}`;
  }
  return String(error);
}

/** JSONata functions are objects flagged `_jsonata_lambda` (or JS functions for built-ins). */
function isLambda(value: unknown): boolean {
  return typeof value === "object" && value !== null && "_jsonata_lambda" in value;
}

function jsonSize(value: unknown): number {
  if (value === undefined) return 0;
  const text = JSON.stringify(value);
  return text === undefined ? 0 : text.length;
}

/**
 * Checks that `source` parses as JSONata; returns the error message or null.
 * Used by compile-time checks so a typo fails at publish rather than mid-conversation.
 */
export function checkExpressionSyntax(source: string): string | null {
  try {
    jsonata(source);
    return null;
  } catch (error) {
    return describe(error);
  }
}

/**
 * Evaluates a JSONata expression against `input` under `budget`.
 * The result is returned as plain JSON (sequences flattened to arrays, functions rejected);
 * `undefined` means "no match". Throws {@link ExpressionError} and nothing else.
 */
export async function evaluateExpression(
  source: string,
  input: unknown,
  budget: ExpressionBudget = defaultExpressionBudget,
): Promise<unknown> {
  const inputSize = jsonSize(input);
  if (inputSize > budget.maxInputSize) {
    throw new ExpressionError(
      "EXPRESSION_INPUT_TOO_LARGE",
      `Expression input is ${inputSize} characters of JSON; the limit is ${budget.maxInputSize}`,
      source,
    );
  }
  const compiled = compile(source, budget);
  let result: unknown;
  try {
    result = await compiled.evaluate(input);
  } catch (error) {
    const code = (error as { code?: string } | null)?.code;
    if (code === "D1012") {
      throw new ExpressionError(
        "EXPRESSION_TIMEOUT",
        `Expression ran longer than ${budget.timeoutMs} ms`,
        source,
      );
    }
    if (code === "D1011") {
      throw new ExpressionError(
        "EXPRESSION_TOO_DEEP",
        `Expression recursed deeper than ${budget.maxDepth} levels`,
        source,
      );
    }
    throw new ExpressionError("EXPRESSION_FAILED", `Expression failed: ${describe(error)}`, source);
  }
  if (typeof result === "function" || isLambda(result)) {
    throw new ExpressionError("EXPRESSION_FAILED", "Expression returned a function, not a value", source);
  }
  if (result === undefined) return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(result);
  } catch {
    throw new ExpressionError("EXPRESSION_FAILED", "Expression result is not JSON", source);
  }
  if (text === undefined) return undefined;
  if (text.length > budget.maxResultSize) {
    throw new ExpressionError(
      "EXPRESSION_RESULT_TOO_LARGE",
      `Expression result is ${text.length} characters of JSON; the limit is ${budget.maxResultSize}`,
      source,
    );
  }
  return JSON.parse(text) as unknown;
}
