import { describe, expect, it } from "vitest";
import { defaultExpressionBudget, ExpressionError, evaluateExpression } from "./jsonata";

/** A small budget keeps the runaways short; the bounds are the same code paths as the defaults. */
const budget = { ...defaultExpressionBudget, timeoutMs: 40 };
const evil = `"${"a".repeat(31)}!"`;
const longEvil = `$pad("", 100001, "a")`;

/** For size limits: enough CPU time that the size check, not the clock, is what stops them. */
const roomyBudget = { ...defaultExpressionBudget, timeoutMs: 5_000 };

async function failure(source: string, limits = budget): Promise<ExpressionError> {
  const error = await evaluateExpression(source, {}, limits).then(
    (value) => ({ value }),
    (reason: unknown) => reason,
  );
  expect(error, `${source} should fail`).toBeInstanceOf(ExpressionError);
  return error as ExpressionError;
}

describe("catastrophic regular expressions run in linear time (RE2)", () => {
  it.each([
    [`$match(${evil}, /(a+)+$/)`, undefined],
    [`$replace(${evil}, /(a+)+$/, "x")`, `${"a".repeat(31)}!`],
    [`$split(${evil}, /(a|aa)+$/)`, [`${"a".repeat(31)}!`]],
    [`$contains(${evil}, /(a*)*b/)`, false],
    [`[${evil}, "b"][$ ~> /^(a+)+$/]`, undefined],
    [`$count([${evil}][$contains($, /(.*a){25}/)])`, 1],
  ])("%s ends with the right answer", async (source, expected) => {
    expect(await evaluateExpression(source, {}, budget)).toEqual(expected);
  });

  it("keeps ordinary regex semantics: groups, flags, global matching", async () => {
    expect(await evaluateExpression('$match("Ab12cd34", /([a-z]+)(\\d+)/i).groups', {}, budget)).toEqual([
      "Ab",
      "12",
      "cd",
      "34",
    ]);
    expect(await evaluateExpression('$replace("a-b-c", /-/, "+")', {}, budget)).toBe("a+b+c");
    expect(await evaluateExpression('$split("a1b22c", /\\d+/)', {}, budget)).toEqual(["a", "b", "c"]);
  });

  it("refuses regex on subjects over the limit and features RE2 does not have", async () => {
    for (const fn of ["$match", "$contains", "$split"]) {
      const error = await failure(`${fn}(${longEvil} & "!", /(a+)+$/)`, roomyBudget);
      expect(error.code).toBe("EXPRESSION_TOO_LARGE");
      expect(error.message).toContain("regular expression was run on 100002 characters");
    }
    const error = await failure('$match("ab", /a(?=b)/)');
    expect(error.code).toBe("EXPRESSION_UNSUPPORTED");
    expect(error.message).toContain("look-around");
  });
});

describe("values that would exhaust memory are refused before they are built", () => {
  it.each([
    ['$string($length($pad("x", 200000000)))', "$pad result would be 200000000 characters"],
    ['$pad("x", -3000000, "abc")', "$pad result would be 9000000 characters"],
    ['$join($split($pad("", 50000, "a"), ""), $pad("", 100, "-"))', "$join result would be"],
    [
      '($a := [1..99999]; $string({"a": $a, "b": $a, "c": $a, "d": $a}))',
      "$string result would be more than",
    ],
    ['($s := $pad("", 1500000, "x"); $s & $s)', "String concatenation (&) would be 3000000 characters"],
    ['$reduce([1..40], function($text, $i) { $text & $text }, "xx")', "String concatenation (&) would be"],
    ['$replace($pad("", 100000, "a"), "a", $pad("", 100, "b"))', "$replace result would be"],
    ["[1..100000000]", "sequence longer than 100000 items"],
    ["$count($reduce([1..30], function($list, $i) { $append($list, $list) }, [1]))", "longer than 100000"],
  ])("%s", async (source, reason) => {
    const error = await failure(source, roomyBudget);
    expect(error.code).toBe("EXPRESSION_TOO_LARGE");
    expect(error.message).toContain(reason);
  });

  it("bounds the total a loop of individually small values builds", async () => {
    for (const source of [
      "$count([1..1000].$append([1..99999], [1]))",
      '$count([1..100000].$uppercase($pad("", 100000)))',
    ]) {
      const error = await failure(source, roomyBudget);
      expect(error.code).toBe("EXPRESSION_TOO_LARGE");
      expect(error.message).toBe("Expression built more than 32000000 characters of values in total");
    }
  });

  it("keeps $distinct linear on large scalar arrays and refuses it on many objects", async () => {
    expect(await evaluateExpression('$distinct($split($pad("", 50000, "ab"), ""))', {}, roomyBudget)).toEqual(
      ["a", "b"],
    );
    const objects = Array.from({ length: 5000 }, (_, n) => ({ n }));
    const error = await evaluateExpression("$distinct(items)", { items: objects }, roomyBudget).catch(
      (reason: unknown) => reason as ExpressionError,
    );
    expect((error as ExpressionError).code).toBe("EXPRESSION_TOO_LARGE");
  });

  it("refuses $eval, which would evaluate source that bypassed the checks", async () => {
    const error = await failure('$eval("$pad(\\"x\\", 200000000)")');
    expect(error.code).toBe("EXPRESSION_UNSUPPORTED");
  });
});

describe("CPU time and recursion are bounded", () => {
  it("stops deep recursion", async () => {
    const error = await failure("($f := function($n) { $n > 100000 ? 0 : 1 + $f($n + 1) }; $f(0))");
    expect(error.code).toBe("EXPRESSION_TOO_DEEP");
    expect(error.message).toContain("200 levels");
  });

  it("stops endless (tail) recursion and long loops by CPU time", async () => {
    for (const source of [
      "($f := function($n) { $f($n + 1) }; $f(0))",
      '$count([1..100000].($string($) & "x" & $uppercase("y")))',
      "$sort([1..50000], function($a, $b) { $a < $b })",
    ]) {
      const error = await failure(source);
      expect(error.code).toBe("EXPRESSION_TIMEOUT");
      expect(error.message).toBe("Expression used more than 40 ms of CPU time");
    }
  });

  it("a runaway yields the event loop: a normal evaluation started after it finishes first", async () => {
    const order: string[] = [];
    const runaway = evaluateExpression("($f := function($n) { $f($n + 1) }; $f(0))", {}, budget).then(
      () => order.push("runaway"),
      () => order.push("runaway"),
    );
    // Let the runaway start and pass its first slice, then ask for a normal evaluation.
    await new Promise((resolve) => setImmediate(resolve));
    const normal = evaluateExpression('"Hi " & name', { name: "Ada" }, budget).then((value) =>
      order.push(String(value)),
    );
    await Promise.all([runaway, normal]);
    expect(order).toEqual(["Hi Ada", "runaway"]);
  });
});
