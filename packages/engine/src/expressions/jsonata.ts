import jsonata from "jsonata";
import { loadBuiltins, registerBoundedBuiltins } from "./bounded-builtins";
import { BudgetExceeded, defaultExpressionBudget, type ExpressionBudget, ExpressionError } from "./budget";
import { EvaluationMeter } from "./evaluation-meter";
import { jsonSizeWithin } from "./json-size";
import { linearRegexEngine } from "./linear-regex";

export type { ExpressionBudget, ExpressionErrorCode } from "./budget";
export { defaultExpressionBudget, ExpressionError } from "./budget";

type Compiled = ReturnType<typeof jsonata>;

/** JSONata's per-step hooks (called, and awaited, before and after every evaluation step). */
const ENTRY_HOOK = Symbol.for("jsonata.__evaluate_entry");
const EXIT_HOOK = Symbol.for("jsonata.__evaluate_exit");
/** The binding that hands the hooks their evaluation's meter; then kept on the evaluation's root frame. */
const METER_BINDING = "__parley_meter";
/**
 * Meters by the empty, frozen token bound under {@link METER_BINDING}: an expression that reads
 * the binding sees `{}`, not the meter (whose methods it could otherwise call).
 */
const metersByToken = new WeakMap<object, EvaluationMeter>();
const METER = Symbol("parley.meter");

interface Frame {
  base: Frame & { [METER]?: EvaluationMeter; lookup(name: string): unknown };
}

/** Compiled expressions by budget + source; parsing is the expensive part of a cheap evaluation. */
const compiledCache = new Map<string, Compiled>();
const CACHE_LIMIT = 1000;

interface AstNode {
  type?: string;
  value?: unknown;
  position?: number;
  [key: string]: unknown;
}

/**
 * Rewrites every `a & b` into `$__concat(a, b)` (in place), so string concatenation checks the
 * size of what it would build, like the bounded built-ins. `&` has no other meaning in JSONata.
 */
function rewriteConcatenation(root: unknown): void {
  const seen = new Set<unknown>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== "object" || seen.has(node)) continue;
    seen.add(node);
    const ast = node as AstNode;
    if (ast.type === "binary" && ast.value === "&") {
      const { lhs, rhs } = ast;
      delete ast.lhs;
      delete ast.rhs;
      ast.type = "function";
      ast.value = "(";
      ast.procedure = { type: "variable", value: "__concat", position: ast.position };
      ast.arguments = [lhs, rhs];
    }
    for (const child of Object.values(ast))
      if (child !== null && typeof child === "object") stack.push(child);
  }
}

/** The meter of the evaluation a built-in runs in: JSONata calls built-ins with `this` = `{ environment }`. */
function meterOf(self: unknown): EvaluationMeter | undefined {
  return (self as { environment?: Frame } | null)?.environment?.base[METER];
}

function entryHook(_expr: unknown, _input: unknown, environment: Frame): Promise<void> | undefined {
  const base = environment.base;
  let meter = base[METER];
  if (!meter) {
    meter = metersByToken.get(base.lookup(METER_BINDING) as object) as EvaluationMeter;
    base[METER] = meter;
  }
  return meter.step();
}

function exitHook(budget: ExpressionBudget) {
  return (_expr: unknown, _input: unknown, _environment: unknown, result: unknown): undefined => {
    if (typeof result === "string") {
      if (result.length > budget.maxStringLength) {
        throw new BudgetExceeded(
          "EXPRESSION_TOO_LARGE",
          `Expression built a string of ${result.length} characters; the limit is ${budget.maxStringLength}`,
        );
      }
    } else if (Array.isArray(result) && result.length > budget.maxSequence) {
      throw new BudgetExceeded(
        "EXPRESSION_TOO_LARGE",
        `Expression built an array of ${result.length} items; the limit is ${budget.maxSequence}`,
      );
    }
    return undefined;
  };
}

function compile(
  source: string,
  budget: ExpressionBudget,
  builtins: Parameters<typeof registerBoundedBuiltins>[1],
): Compiled {
  const key = `${budget.maxDepth}|${budget.maxSequence}|${budget.maxStringLength}|${budget.maxRegexInput}|${source}`;
  const hit = compiledCache.get(key);
  if (hit) return hit;
  let compiled: Compiled;
  try {
    compiled = jsonata(source, {
      stack: budget.maxDepth,
      sequence: budget.maxSequence,
      RegexEngine: linearRegexEngine(budget.maxRegexInput),
    } as unknown as Parameters<typeof jsonata>[1]);
  } catch (error) {
    throw new ExpressionError("EXPRESSION_SYNTAX", `Invalid JSONata: ${describe(error)}`, source);
  }
  rewriteConcatenation(compiled.ast());
  registerBoundedBuiltins(compiled, builtins, budget, meterOf);
  // JSONata's types name bindings by string; its hooks are bound under well-known symbols.
  const assign = compiled.assign as unknown as (name: symbol, value: unknown) => void;
  assign(ENTRY_HOOK, entryHook);
  assign(EXIT_HOOK, exitHook(budget));
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

/** Maps what an evaluation threw to an {@link ExpressionError} that says why in words. */
function toExpressionError(error: unknown, source: string, budget: ExpressionBudget): ExpressionError {
  if (error instanceof BudgetExceeded) return new ExpressionError(error.code, error.message, source);
  const code = (error as { code?: string } | null)?.code;
  if (code === "D1011" || (error instanceof RangeError && /call stack/i.test(error.message))) {
    return new ExpressionError(
      "EXPRESSION_TOO_DEEP",
      `Expression recursed deeper than ${budget.maxDepth} levels`,
      source,
    );
  }
  if (code === "D2014" || code === "D2015") {
    return new ExpressionError(
      "EXPRESSION_TOO_LARGE",
      `Expression built a sequence longer than ${budget.maxSequence} items`,
      source,
    );
  }
  if (error instanceof RangeError && /string length|array length|allocation/i.test(error.message)) {
    return new ExpressionError(
      "EXPRESSION_TOO_LARGE",
      `Expression built a value too large: ${error.message}`,
      source,
    );
  }
  return new ExpressionError("EXPRESSION_FAILED", `Expression failed: ${describe(error)}`, source);
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
 * Evaluates a JSONata expression against `input` under `budget`, in this process, bounded
 * whatever built-in the expression calls:
 * - CPU: every evaluation step is metered (see {@link EvaluationMeter}); past `timeoutMs` of CPU the
 *   evaluation stops, and a long one yields the event loop every slice, so other conversations
 *   keep their latency while it runs;
 * - regular expressions run on RE2 (`re2js`, linear time: no catastrophic backtracking) on
 *   subjects of at most `maxRegexInput` characters;
 * - memory: built-ins that could build a large value in one call (`$pad`, `$join`, `$string`,
 *   `$replace`, `&`, ranges) check its size before building it, and every step's result is held
 *   to `maxStringLength` characters and `maxSequence` items.
 * The result is returned as plain JSON (sequences flattened to arrays, functions rejected);
 * `undefined` means "no match". Throws {@link ExpressionError} and nothing else.
 *
 * @example
 * await evaluateExpression('$sum(items.(price * qty))', { items: [{ price: 2, qty: 3 }] }); // 6
 */
export async function evaluateExpression(
  source: string,
  input: unknown,
  budget: ExpressionBudget = defaultExpressionBudget,
): Promise<unknown> {
  const inputSize = jsonSizeWithin(input, budget.maxInputSize);
  if (inputSize > budget.maxInputSize) {
    throw new ExpressionError(
      "EXPRESSION_INPUT_TOO_LARGE",
      `Expression input is more than ${budget.maxInputSize} characters of JSON (the limit)`,
      source,
    );
  }
  const builtins = await loadBuiltins();
  const compiled = compile(source, budget, builtins);
  let result: unknown;
  try {
    const token = Object.freeze({});
    metersByToken.set(token, new EvaluationMeter(budget));
    result = await compiled.evaluate(input, { [METER_BINDING]: token });
  } catch (error) {
    throw toExpressionError(error, source, budget);
  }
  if (typeof result === "function" || isLambda(result)) {
    throw new ExpressionError("EXPRESSION_FAILED", "Expression returned a function, not a value", source);
  }
  if (result === undefined) return undefined;
  const size = jsonSizeWithin(result, budget.maxResultSize);
  if (size > budget.maxResultSize) {
    throw new ExpressionError(
      "EXPRESSION_RESULT_TOO_LARGE",
      `Expression result is more than ${budget.maxResultSize} characters of JSON (the limit)`,
      source,
    );
  }
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
