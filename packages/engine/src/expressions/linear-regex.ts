import { RE2JS } from "re2js";
import { BudgetExceeded } from "./budget";

/** Compiled patterns by flags + source: JSONata builds a regex object every time a literal is evaluated. */
const compiled = new Map<string, RE2JS>();
const CACHE_LIMIT = 500;

function compilePattern(source: string, flags: string): RE2JS {
  const key = `${flags}/${source}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  let pattern: RE2JS;
  try {
    pattern = RE2JS.compile(
      source,
      (flags.includes("i") ? RE2JS.CASE_INSENSITIVE : 0) | (flags.includes("m") ? RE2JS.MULTILINE : 0),
    );
  } catch (error) {
    // RE2 syntax: no look-around and no back-references (they are what makes matching non-linear).
    throw new BudgetExceeded(
      "EXPRESSION_UNSUPPORTED",
      `regular expression /${source}/ is not supported (${(error as Error).message}); look-around and back-references are not available`,
    );
  }
  if (compiled.size >= CACHE_LIMIT) {
    const oldest = compiled.keys().next().value;
    if (oldest !== undefined) compiled.delete(oldest);
  }
  compiled.set(key, pattern);
  return pattern;
}

/** A match in the shape JSONata reads from `RegExp.prototype.exec`. */
type ExecResult = (string | undefined)[] & { index: number };

/**
 * Builds the `RegexEngine` JSONata uses for every regex literal (in `$match`, `$replace`,
 * `$split`, `$contains` and filters): RE2 semantics through `re2js`, so matching takes time
 * linear in the subject whatever the pattern (`/(a+)+$/` cannot backtrack), on subjects of at
 * most `maxInput` characters. JSONata sets `lastIndex` and calls `exec` like a global RegExp.
 */
export function linearRegexEngine(maxInput: number) {
  return class LinearRegex {
    lastIndex = 0;
    private readonly pattern: RE2JS;

    constructor(regex: RegExp) {
      this.pattern = compilePattern(regex.source, regex.flags);
    }

    exec(subject: string): ExecResult | null {
      if (subject.length > maxInput) {
        throw new BudgetExceeded(
          "EXPRESSION_TOO_LARGE",
          `a regular expression was run on ${subject.length} characters; the limit is ${maxInput}`,
        );
      }
      const matcher = this.pattern.matcher(subject);
      if (this.lastIndex > subject.length || !matcher.find(this.lastIndex)) {
        this.lastIndex = 0;
        return null;
      }
      // Unmatched groups are undefined, as in RegExp.prototype.exec.
      const groups: (string | undefined)[] = [];
      for (let group = 0; group <= matcher.groupCount(); group += 1)
        groups.push(matcher.group(group) ?? undefined);
      const result = groups as ExecResult;
      result.index = matcher.start();
      this.lastIndex = matcher.end();
      return result;
    }
  };
}
