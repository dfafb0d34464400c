import { type ConditionRule, conditionOperators, conditionRuleSchema } from "@parley/flow-schema";
import { describe, expect, it } from "vitest";
import {
  conditionSummary,
  convertOperand,
  groupSentence,
  newGroup,
  type Operand,
  operandKind,
  operatorCatalogue,
  operatorChoice,
  ruleSentence,
  withOperator,
} from "./condition-rules";

/** One rule of every shape the flow schema allows, with every operand kind. */
const operands: Operand[] = ["large", "", 12, 0.5, true, false, null, { variable: "order.size" }];
const everyRule: ConditionRule[] = conditionOperators.flatMap((operator): ConditionRule[] => {
  const arity = operatorChoice(operator).arity;
  if (arity === "none") return [{ variable: "size", operator } as ConditionRule];
  if (arity === "one")
    return operands.map((value) => ({ variable: "size", operator, value }) as ConditionRule);
  return [
    { variable: "size", operator, value: ["small", 2, true, null] } as ConditionRule,
    { variable: "size", operator, value: [] } as ConditionRule,
    { variable: "size", operator, value: { variable: "sizes" } } as ConditionRule,
  ];
});

describe("condition rules in words", () => {
  it("offers every schema operator exactly once, each with its own words", () => {
    expect(operatorCatalogue.map((c) => c.operator).sort()).toEqual([...conditionOperators].sort());
    expect(new Set(operatorCatalogue.map((c) => c.words)).size).toBe(operatorCatalogue.length);
  });

  it("reads the pizza flow's rule as a sentence", () => {
    expect(ruleSentence({ variable: "size", operator: "equals", value: "large" })).toBe('size is "large"');
    expect(ruleSentence({ variable: "age", operator: "gte", value: 18 })).toBe("age is at least 18");
    expect(ruleSentence({ variable: "age", operator: "lt", value: { variable: "limit" } })).toBe(
      "age is less than limit",
    );
    expect(ruleSentence({ variable: "name", operator: "isEmpty" })).toBe("name is empty");
    expect(ruleSentence({ variable: "size", operator: "in", value: ["small", 2] })).toBe(
      'size is one of "small", 2',
    );
    expect(ruleSentence({ variable: "ok", operator: "equals", value: null })).toBe("ok is nothing");
  });

  it("joins a group's rules with and / or and ends the node summary with the else branch", () => {
    const rules: ConditionRule[] = [
      { variable: "a", operator: "isTrue" },
      { variable: "b", operator: "equals", value: 1 },
    ];
    expect(groupSentence({ id: "g", match: "all", rules })).toBe("a is true and b is 1");
    expect(groupSentence({ id: "g", match: "any", rules })).toBe("a is true or b is 1");
    expect(
      conditionSummary({ groups: [{ id: "large", label: "Large pizza", match: "all", rules }] }),
    ).toEqual(["Large pizza: a is true and b is 1", "otherwise: else"]);
  });

  it("round-trips every rule the schema allows: same operator and same kind change nothing", () => {
    expect(everyRule.length).toBeGreaterThan(60);
    for (const rule of everyRule) {
      expect(conditionRuleSchema.parse(rule), JSON.stringify(rule)).toEqual(rule);
      expect(withOperator(rule, rule.operator), JSON.stringify(rule)).toEqual(rule);
      if ("value" in rule && !Array.isArray(rule.value)) {
        expect(convertOperand(rule.value, operandKind(rule.value))).toBe(rule.value);
      }
      expect(ruleSentence(rule)).toMatch(/^size /);
    }
  });

  it("changing the operator always gives a rule the schema accepts, keeping the value where it fits", () => {
    for (const rule of everyRule) {
      for (const operator of conditionOperators) {
        const changed = withOperator(rule, operator);
        expect(conditionRuleSchema.safeParse(changed).success, `${JSON.stringify(rule)} -> ${operator}`).toBe(
          true,
        );
      }
    }
    const large: ConditionRule = { variable: "size", operator: "equals", value: "large" };
    expect(withOperator(large, "in")).toEqual({ variable: "size", operator: "in", value: ["large"] });
    expect(withOperator(withOperator(large, "in"), "notEquals")).toEqual({ ...large, operator: "notEquals" });
    expect(withOperator(large, "isEmpty")).toEqual({ variable: "size", operator: "isEmpty" });
  });

  it("converts a value between kinds, keeping what can be kept", () => {
    expect(convertOperand("12", "number")).toBe(12);
    expect(convertOperand("twelve", "number")).toBe(0);
    expect(convertOperand(12, "text")).toBe("12");
    expect(convertOperand("yes", "boolean")).toBe(true);
    expect(convertOperand("large", "variable")).toEqual({ variable: "" });
    expect(convertOperand({ variable: "size" }, "text")).toBe("size");
    expect(convertOperand(1, "null")).toBeNull();
  });

  it("gives a new group a handle id no other group uses", () => {
    const group = newGroup([
      { id: "group-2", match: "all", rules: [{ variable: "a", operator: "isSet" }] },
      { id: "large", match: "all", rules: [{ variable: "a", operator: "isSet" }] },
    ]);
    expect(group.id).toBe("group-3");
  });
});
