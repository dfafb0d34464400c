import { type ConditionRule, lookupPath } from "@parley/flow-schema";
import { describe, expect, it } from "vitest";
import { evaluateGroup, evaluateRule } from "./conditions";

const scope = {
  name: "Ada",
  blank: "   ",
  age: 36,
  ageText: "36",
  vip: true,
  tags: ["tour", "beta"],
  empty: [],
  profile: { plan: "pro" },
  born: "1815-12-10",
  deadline: "2025-06-01",
  sys: { channel: "web" },
};

const read = (path: string) => lookupPath(scope, path);
const rule = (value: ConditionRule) => evaluateRule(value, read);

describe("condition rules", () => {
  it("tests presence, emptiness and booleans", () => {
    expect(rule({ variable: "name", operator: "isSet" })).toBe(true);
    expect(rule({ variable: "missing", operator: "isNotSet" })).toBe(true);
    expect(rule({ variable: "blank", operator: "isEmpty" })).toBe(true);
    expect(rule({ variable: "empty", operator: "isEmpty" })).toBe(true);
    expect(rule({ variable: "tags", operator: "isNotEmpty" })).toBe(true);
    expect(rule({ variable: "vip", operator: "isTrue" })).toBe(true);
    expect(rule({ variable: "vip", operator: "isFalse" })).toBe(false);
  });

  it("compares equality case-insensitively and numbers with numeric strings", () => {
    expect(rule({ variable: "name", operator: "equals", value: "ADA" })).toBe(true);
    expect(rule({ variable: "ageText", operator: "equals", value: 36 })).toBe(true);
    expect(rule({ variable: "age", operator: "equals", value: "36" })).toBe(true);
    expect(rule({ variable: "age", operator: "notEquals", value: 35 })).toBe(true);
    expect(rule({ variable: "missing", operator: "equals", value: null })).toBe(true);
    expect(rule({ variable: "sys.channel", operator: "equals", value: "web" })).toBe(true);
    expect(rule({ variable: "profile.plan", operator: "equals", value: "pro" })).toBe(true);
  });

  it("orders numbers and dates, never mixing kinds", () => {
    expect(rule({ variable: "age", operator: "gt", value: 18 })).toBe(true);
    expect(rule({ variable: "ageText", operator: "lte", value: 36 })).toBe(true);
    expect(rule({ variable: "born", operator: "lt", value: "1900-01-01" })).toBe(true);
    expect(rule({ variable: "deadline", operator: "gte", value: { variable: "born" } })).toBe(true);
    expect(rule({ variable: "name", operator: "gt", value: 1 })).toBe(false);
    expect(rule({ variable: "born", operator: "gt", value: 1 })).toBe(false);
  });

  it("tests substrings, list membership, prefixes and suffixes", () => {
    expect(rule({ variable: "name", operator: "contains", value: "d" })).toBe(true);
    expect(rule({ variable: "tags", operator: "contains", value: "BETA" })).toBe(true);
    expect(rule({ variable: "tags", operator: "notContains", value: "vip" })).toBe(true);
    expect(rule({ variable: "name", operator: "startsWith", value: "a" })).toBe(true);
    expect(rule({ variable: "name", operator: "endsWith", value: "DA" })).toBe(true);
    expect(rule({ variable: "name", operator: "in", value: ["Grace", "ada"] })).toBe(true);
    expect(rule({ variable: "age", operator: "in", value: ["36"] })).toBe(true);
    expect(rule({ variable: "name", operator: "notIn", value: { variable: "tags" } })).toBe(true);
  });

  it("combines rules with all and any", () => {
    const rules: ConditionRule[] = [
      { variable: "vip", operator: "isTrue" },
      { variable: "age", operator: "lt", value: 18 },
    ];
    expect(evaluateGroup("all", rules, read)).toBe(false);
    expect(evaluateGroup("any", rules, read)).toBe(true);
  });
});
