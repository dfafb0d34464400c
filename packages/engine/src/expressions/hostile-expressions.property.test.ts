import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultExpressionBudget, ExpressionError, evaluateExpression } from "./jsonata";

const budget = { ...defaultExpressionBudget, timeoutMs: 30 };

const size = fc.integer({ min: 1, max: 300_000_000 });
const smallSize = fc.integer({ min: 1, max: 250_000 });
const catastrophic = fc.constantFrom(
  "(a+)+$",
  "(a|aa)+$",
  "(a*)*b",
  "(.*a){20}",
  "^(a|a?)+$",
  "(\\w+\\s?)*$",
);
const regexCall = fc
  .tuple(
    fc.constantFrom("$match(S, R)", "$replace(S, R, 'x')", "$split(S, R)", "$contains(S, R)", "[S][$ ~> R]"),
    catastrophic,
    smallSize,
  )
  .map(([call, pattern, length]) =>
    call.replace("S", `$pad("", ${length}, "a") & "!"`).replace("R", `/${pattern}/`),
  );

/** One hostile expression: a blow-up class with a random size. */
const hostile = fc.oneof(
  regexCall,
  size.map((width) => `$pad("x", ${width})`),
  fc
    .tuple(smallSize, fc.integer({ min: 1, max: 500 }))
    .map(([count, gap]) => `$join($split($pad("", ${count}, "a"), ""), $pad("", ${gap}, "-"))`),
  size.map((count) => `[1..${count}]`),
  fc
    .integer({ min: 10, max: 60 })
    .map((steps) => `$reduce([1..${steps}], function($s, $i) { $s & $s }, "ab")`),
  fc
    .integer({ min: 10, max: 60 })
    .map((steps) => `$reduce([1..${steps}], function($l, $i) { $append($l, $l) }, [1])`),
  fc.constant("($f := function($n) { $f($n + 1) }; $f(0))"),
  fc
    .integer({ min: 100, max: 1_000_000 })
    .map((limit) => `($f := function($n) { $n > ${limit} ? 0 : 1 + $f($n + 1) }; $f(0))`),
  smallSize.map((count) => `$string([1..${count}].{"n": $, "s": $string($)})`),
);

/** Hostile expressions nested in ordinary ones: the bound must hold wherever the blow-up sits. */
const nestedHostile = fc
  .tuple(
    hostile,
    fc.array(
      fc.constantFrom(
        "$string(E)",
        "$count(E)",
        "$length($string(E))",
        '{"v": E}',
        "[E, 1]",
        "(E)",
        'E & "tail"',
        "$exists(E) ? E : 0",
      ),
      { maxLength: 3 },
    ),
  )
  .map(([core, wrappers]) => wrappers.reduce((inner, wrapper) => wrapper.replace(/E/g, inner), core));

const BOUNDED_CODES = [
  "EXPRESSION_TIMEOUT",
  "EXPRESSION_TOO_DEEP",
  "EXPRESSION_TOO_LARGE",
  "EXPRESSION_RESULT_TOO_LARGE",
  "EXPRESSION_FAILED",
];

describe("generated hostile expressions", () => {
  it("each ends with a value or a bounded error, while a concurrent normal evaluation keeps working", async () => {
    await fc.assert(
      fc.asyncProperty(nestedHostile, fc.integer({ min: 1, max: 1000 }), async (source, n) => {
        const hostileRun = evaluateExpression(source, {}, budget).then(
          (value) => ({ ended: "value" as const, value }),
          (error: unknown) => ({ ended: "error" as const, error }),
        );
        const normal = await evaluateExpression(
          "$sum(items.(price * qty))",
          { items: [{ price: n, qty: 2 }] },
          budget,
        );
        expect(normal).toBe(n * 2);
        const outcome = await hostileRun;
        if (outcome.ended === "error") {
          expect(outcome.error).toBeInstanceOf(ExpressionError);
          expect(BOUNDED_CODES).toContain((outcome.error as ExpressionError).code);
          expect((outcome.error as ExpressionError).message.length).toBeGreaterThan(10);
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
