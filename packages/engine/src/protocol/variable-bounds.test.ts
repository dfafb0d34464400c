import { describe, expect, it } from "vitest";
import { inlineFlow, TestConversation } from "../../test/support";
import { compile } from "../compile/compile";
import { TurnInputError } from "../interpret/run-turn";
import { MAX_VARIABLE_DEPTH, variableBoundsProblem } from "./variable-bounds";

function nested(depth: number): unknown {
  let value: unknown = "leaf";
  for (let level = 0; level < depth; level += 1) value = [value];
  return value;
}

describe("variableBoundsProblem", () => {
  it("accepts ordinary values", () => {
    expect(variableBoundsProblem({ order: { size: "L", toppings: ["ham"] }, count: 3 })).toBeNull();
    expect(variableBoundsProblem({ deep: nested(MAX_VARIABLE_DEPTH) })).toBeNull();
  });

  it("refuses a 20,000-deep array and oversized values with a sentence naming the variable", () => {
    expect(variableBoundsProblem({ deep: nested(20_000) })).toEqual({
      name: "deep",
      message: "the value of variable deep nests deeper than 32 levels",
    });
    expect(variableBoundsProblem({ big: "x".repeat(200_000) })?.message).toBe(
      "the value of variable big is larger than 100000 characters of JSON",
    );
  });

  it("runTurn refuses such start variables as a turn input error", async () => {
    const machine = compile(
      inlineFlow({ nodes: [{ id: "start", kind: "start" }], variables: [{ name: "deep", type: "object" }] }),
    );
    await expect(new TestConversation(machine).start({ deep: nested(20_000) })).rejects.toThrow(
      TurnInputError,
    );
  });
});
