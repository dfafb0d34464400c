import jsonata from "jsonata";
import { BudgetExceeded, type ExpressionBudget } from "./budget";
import { jsonSizeWithin } from "./json-size";

/** A JSONata built-in as `$name` evaluates to: its implementation and signature. */
interface Builtin {
  implementation: (this: unknown, ...args: unknown[]) => unknown;
  signature?: { definition?: string };
}

/** Built-ins replaced below: each can allocate or loop without an evaluation step in between. */
const WRAPPED = [
  "pad",
  "join",
  "string",
  "replace",
  "distinct",
  "toMillis",
  "formatInteger",
  "parseInteger",
] as const;

/**
 * Built-ins that return a new string, array or object: each call charges what it built to the
 * evaluation's meter (the replaced ones above too).
 */
const ALLOCATING = [
  "substring",
  "substringBefore",
  "substringAfter",
  "lowercase",
  "uppercase",
  "trim",
  "match",
  "split",
  "formatNumber",
  "formatBase",
  "map",
  "zip",
  "filter",
  "sift",
  "keys",
  "append",
  "spread",
  "merge",
  "reverse",
  "each",
  "sort",
  "shuffle",
  "encodeUrlComponent",
  "encodeUrl",
  "decodeUrlComponent",
  "decodeUrl",
  "fromMillis",
  "base64encode",
  "base64decode",
] as const;

type Name = (typeof WRAPPED)[number] | (typeof ALLOCATING)[number];
type Builtins = Record<Name, Builtin>;

let originals: Builtins | undefined;
let loading: Promise<Builtins> | undefined;

/** JSONata's own implementations, read once (evaluating `$pad` gives the function object). */
export function loadBuiltins(): Promise<Builtins> | Builtins {
  if (originals) return originals;
  loading ??= (async () => {
    const found = {} as Builtins;
    for (const name of [...WRAPPED, ...ALLOCATING]) {
      found[name] = (await jsonata(`$${name}`).evaluate({})) as Builtin;
    }
    originals = found;
    return found;
  })();
  return loading;
}

/** What a built-in call allocated, in meter units (characters; 8 per array item, 16 per key). */
function allocationOf(value: unknown): number {
  if (typeof value === "string") return value.length;
  if (Array.isArray(value)) return 8 * value.length;
  if (value !== null && typeof value === "object") return 16 * Object.keys(value).length;
  return 0;
}

/** The meter of the evaluation a built-in runs in (JSONata calls built-ins with `this` = `{ environment }`). */
type MeterOf = (self: unknown) => { charge(units: number): void } | undefined;

/** Wraps a built-in so each call charges what it returned to the evaluation's meter. */
function charged(implementation: Builtin["implementation"], meterOf: MeterOf): Builtin["implementation"] {
  return function (this: unknown, ...args: unknown[]) {
    const result = implementation.apply(this, args);
    if (result instanceof Promise) {
      return result.then((value: unknown) => {
        meterOf(this)?.charge(allocationOf(value));
        return value;
      });
    }
    meterOf(this)?.charge(allocationOf(result));
    return result;
  };
}

function tooLarge(what: string, size: number, limit: number): never {
  const amount = Number.isFinite(size) ? `${size} characters` : `more than ${limit} characters`;
  throw new BudgetExceeded("EXPRESSION_TOO_LARGE", `${what} would be ${amount}; the limit is ${limit}`);
}

/** Length of the text `$string`/`&` would produce for `value`, or Infinity past `limit`. */
function textLength(value: unknown, limit: number): number {
  if (value === undefined) return 0;
  if (typeof value === "string") return value.length;
  return jsonSizeWithin(value, limit);
}

/** Distinct without JSONata's quadratic scan when every item is a plain scalar. */
function distinctScalars(items: unknown[]): unknown[] | undefined {
  if (!items.every((item) => item === null || ["string", "number", "boolean"].includes(typeof item)))
    return undefined;
  return [...new Set(items)];
}

/** Inputs above this many items make `$distinct` on objects (pairwise deep comparison) too costly. */
const MAX_DISTINCT_OBJECTS = 2_000;
/** `$toMillis`/`$parseInteger` build a backtracking regex from the picture: keep both short. */
const MAX_PICTURE_INPUT = 256;

/**
 * Registers size-checked versions of the built-ins that can allocate a large string or run a
 * long native loop in one call (`$pad`, `$join`, `$string`, `$replace`, `$distinct`, the picture
 * parsers), plus `$__concat` (the `&` operator is rewritten to it) and a refusing `$eval`
 * (it would evaluate source that bypassed these checks). Each checks the size of what it would
 * build before building it and throws {@link BudgetExceeded}; then calls JSONata's own code.
 */
export function registerBoundedBuiltins(
  expression: ReturnType<typeof jsonata>,
  builtins: Builtins,
  budget: ExpressionBudget,
  meterOf: MeterOf,
): void {
  const max = budget.maxStringLength;
  const call = (name: Name, self: unknown, args: unknown[]) =>
    builtins[name].implementation.apply(self, args);
  const register = (name: string, implementation: Builtin["implementation"], signature: string) =>
    expression.registerFunction(name, charged(implementation, meterOf), signature);
  for (const name of ALLOCATING) {
    const definition = builtins[name].signature?.definition;
    if (definition) register(name, builtins[name].implementation, definition);
  }

  register(
    "pad",
    function (this: unknown, str: unknown, width: unknown, char: unknown) {
      const fill = typeof char === "string" && char.length > 0 ? char.length : 1;
      const size = Math.abs(Math.trunc(Number(width))) * fill;
      if (typeof str === "string" && size > max) tooLarge("$pad result", size, max);
      return call("pad", this, [str, width, char]);
    },
    "<s-ns?:s>",
  );
  register(
    "join",
    function (this: unknown, strings: unknown, separator: unknown) {
      if (Array.isArray(strings)) {
        const gap = typeof separator === "string" ? separator.length : 0;
        let size = 0;
        for (const item of strings) {
          size += (typeof item === "string" ? item.length : 0) + gap;
          if (size > max) tooLarge("$join result", size, max);
        }
      }
      return call("join", this, [strings, separator]);
    },
    "<a<s>s?:s>",
  );
  register(
    "string",
    function (this: unknown, value: unknown, prettify: unknown) {
      // Pretty-printing adds indentation: count it as doubling the text.
      const size = textLength(value, max) * (prettify === true ? 2 : 1);
      if (size > max) tooLarge("$string result", size, max);
      return call("string", this, [value, prettify]);
    },
    "<x-b?:s>",
  );
  register(
    "__concat",
    function (this: unknown, left: unknown, right: unknown) {
      const size = textLength(left, max) + textLength(right, max);
      if (size > max) tooLarge("String concatenation (&)", size, max);
      const text = (value: unknown) => (value === undefined ? "" : (call("string", this, [value]) as string));
      return text(left) + text(right);
    },
    "<xx:s>",
  );
  register(
    "replace",
    function (this: unknown, str: unknown, pattern: unknown, replacement: unknown, limit: unknown) {
      if (typeof str === "string" && typeof replacement === "string" && replacement.length > 0) {
        const matches =
          typeof pattern === "string" && pattern.length > 0
            ? Math.floor(str.length / pattern.length)
            : str.length + 1;
        const capped = typeof limit === "number" ? Math.min(matches, Math.max(0, limit)) : matches;
        const size = str.length + capped * replacement.length;
        if (size > max) tooLarge("$replace result", size, max);
      }
      return call("replace", this, [str, pattern, replacement, limit]);
    },
    "<s-(sf)(sf)n?:s>",
  );
  register(
    "distinct",
    function (this: unknown, items: unknown) {
      if (Array.isArray(items) && items.length > MAX_DISTINCT_OBJECTS) {
        const scalars = distinctScalars(items);
        if (scalars) return scalars;
        throw new BudgetExceeded(
          "EXPRESSION_TOO_LARGE",
          `$distinct of ${items.length} objects; the limit is ${MAX_DISTINCT_OBJECTS}`,
        );
      }
      return call("distinct", this, [items]);
    },
    "<x:x>",
  );
  const shortText = (name: string, ...texts: unknown[]) => {
    for (const text of texts) {
      if (typeof text === "string" && text.length > MAX_PICTURE_INPUT) {
        throw new BudgetExceeded(
          "EXPRESSION_TOO_LARGE",
          `${name} takes at most ${MAX_PICTURE_INPUT} characters per argument`,
        );
      }
    }
  };
  register(
    "toMillis",
    function (this: unknown, timestamp: unknown, picture: unknown) {
      shortText("$toMillis", timestamp, picture);
      return call("toMillis", this, picture === undefined ? [timestamp] : [timestamp, picture]);
    },
    "<s-s?:n>",
  );
  register(
    "parseInteger",
    function (this: unknown, value: unknown, picture: unknown) {
      shortText("$parseInteger", value, picture);
      return call("parseInteger", this, [value, picture]);
    },
    "<s-s:n>",
  );
  register(
    "formatInteger",
    function (this: unknown, value: unknown, picture: unknown) {
      shortText("$formatInteger", picture);
      return call("formatInteger", this, [value, picture]);
    },
    "<n-s:s>",
  );
  register(
    "eval",
    () => {
      throw new BudgetExceeded("EXPRESSION_UNSUPPORTED", "$eval is not available in flow expressions");
    },
    "<sx?:x>",
  );
}
