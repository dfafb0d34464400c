import { describe, expect, it } from "vitest";
import {
  checkExpressionSyntax,
  defaultExpressionBudget,
  ExpressionError,
  evaluateExpression,
} from "./jsonata";

const budget = { ...defaultExpressionBudget, timeoutMs: 50, maxInputSize: 2_000, maxResultSize: 1_000 };

async function failure(promise: Promise<unknown>): Promise<ExpressionError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ExpressionError);
  return error as ExpressionError;
}

describe("evaluateExpression", () => {
  it("evaluates JSONata against the input and returns plain JSON", async () => {
    const input = {
      items: [
        { price: 2, qty: 3 },
        { price: 5, qty: 1 },
      ],
      name: "Ada",
    };
    expect(await evaluateExpression("$sum(items.(price * qty))", input, budget)).toBe(11);
    expect(await evaluateExpression("items[price > 3]", input, budget)).toEqual({ price: 5, qty: 1 });
    expect(await evaluateExpression("items.price", input, budget)).toEqual([2, 5]);
    expect(await evaluateExpression("missing", input, budget)).toBeUndefined();
    expect(await evaluateExpression('{ "greeting": "Hi " & name }', input, budget)).toEqual({
      greeting: "Hi Ada",
    });
  });

  it("stops an expression that runs past its time budget", async () => {
    const error = await failure(evaluateExpression("$count([1..90000].($string($) & 'x'))", {}, budget));
    expect(error.code).toBe("EXPRESSION_TIMEOUT");
    expect(error.message).toContain("50 ms");
  });

  it("stops unbounded recursion", async () => {
    const error = await failure(
      evaluateExpression("($f := function($n) { $f($n + 1) + 1 }; $f(0))", {}, budget),
    );
    expect(["EXPRESSION_TOO_DEEP", "EXPRESSION_TIMEOUT"]).toContain(error.code);
  });

  it("refuses inputs and results over the size budget", async () => {
    const big = { text: "x".repeat(5_000) };
    expect((await failure(evaluateExpression("text", big, budget))).code).toBe("EXPRESSION_INPUT_TOO_LARGE");
    expect((await failure(evaluateExpression("[1..5000]", {}, budget))).code).toBe(
      "EXPRESSION_RESULT_TOO_LARGE",
    );
  });

  it("reports syntax errors and runtime errors as expression errors", async () => {
    expect((await failure(evaluateExpression("items[", {}, budget))).code).toBe("EXPRESSION_SYNTAX");
    expect((await failure(evaluateExpression('$number("abc") + $error("boom")', {}, budget))).code).toBe(
      "EXPRESSION_FAILED",
    );
    expect((await failure(evaluateExpression("function($x) { $x }", {}, budget))).code).toBe(
      "EXPRESSION_FAILED",
    );
    expect(checkExpressionSyntax("a + ")).toMatch(/S0/);
    expect(checkExpressionSyntax("a + 1")).toBeNull();
  });
});
