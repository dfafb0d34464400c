import type { ConditionRule } from "@parley/flow-schema";

/** Reads a variable path (`order.size`, `sys.channel`); undefined when missing. */
export type ReadVariable = (path: string) => unknown;

const NUMERIC = /^\s*[+-]?(\d+(\.\d+)?|\.\d+)\s*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function isEmpty(value: unknown): boolean {
  if (!isSet(value)) return true;
  if (typeof value === "string") return value.trim() === "";
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value as object).length === 0;
  return false;
}

/** Equality of rule operands: numeric strings meet numbers, strings compare case-insensitively. */
function looseEquals(left: unknown, right: unknown): boolean {
  if (!isSet(left) || !isSet(right)) return !isSet(left) && !isSet(right);
  if (typeof left === "number" && typeof right === "string" && NUMERIC.test(right))
    return left === Number(right);
  if (typeof right === "number" && typeof left === "string" && NUMERIC.test(left))
    return Number(left) === right;
  if (typeof left === "string" && typeof right === "string")
    return left.toLowerCase() === right.toLowerCase();
  return left === right;
}

/** A number for ordering: numbers, numeric strings, or ISO dates (as epoch ms, kept apart). */
function comparable(value: unknown): { kind: "number" | "date"; value: number } | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return { kind: "number", value };
  if (typeof value === "string") {
    if (NUMERIC.test(value)) return { kind: "number", value: Number(value) };
    if (ISO_DATE.test(value.trim())) {
      const time = Date.parse(value.trim());
      if (!Number.isNaN(time)) return { kind: "date", value: time };
    }
  }
  return undefined;
}

function compare(left: unknown, right: unknown, test: (difference: number) => boolean): boolean {
  const a = comparable(left);
  const b = comparable(right);
  return a !== undefined && b !== undefined && a.kind === b.kind && test(a.value - b.value);
}

function text(value: unknown): string | undefined {
  if (typeof value === "string") return value.toLowerCase();
  if (typeof value === "number" || typeof value === "boolean") return String(value).toLowerCase();
  return undefined;
}

function contains(left: unknown, right: unknown): boolean {
  if (Array.isArray(left)) return left.some((item) => looseEquals(item, right));
  const haystack = text(left);
  const needle = text(right);
  return haystack !== undefined && needle !== undefined && haystack.includes(needle);
}

function operand(read: ReadVariable, value: unknown): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value) && "variable" in value) {
    return read((value as { variable: string }).variable);
  }
  return value;
}

/** Evaluates one structured rule, reading variables through `read`. */
export function evaluateRule(rule: ConditionRule, read: ReadVariable): boolean {
  const left = read(rule.variable);
  switch (rule.operator) {
    case "isSet":
      return isSet(left);
    case "isNotSet":
      return !isSet(left);
    case "isEmpty":
      return isEmpty(left);
    case "isNotEmpty":
      return !isEmpty(left);
    case "isTrue":
      return left === true;
    case "isFalse":
      return left === false;
  }
  const right = operand(read, rule.value);
  switch (rule.operator) {
    case "equals":
      return looseEquals(left, right);
    case "notEquals":
      return !looseEquals(left, right);
    case "gt":
      return compare(left, right, (difference) => difference > 0);
    case "gte":
      return compare(left, right, (difference) => difference >= 0);
    case "lt":
      return compare(left, right, (difference) => difference < 0);
    case "lte":
      return compare(left, right, (difference) => difference <= 0);
    case "contains":
      return contains(left, right);
    case "notContains":
      return !contains(left, right);
    case "startsWith": {
      const [haystack, needle] = [text(left), text(right)];
      return haystack !== undefined && needle !== undefined && haystack.startsWith(needle);
    }
    case "endsWith": {
      const [haystack, needle] = [text(left), text(right)];
      return haystack !== undefined && needle !== undefined && haystack.endsWith(needle);
    }
    case "in":
    case "notIn": {
      const found = Array.isArray(right) && right.some((item) => looseEquals(left, item));
      return rule.operator === "in" ? found : !found;
    }
  }
}

/** A condition group: `all` rules (AND) or `any` rule (OR). */
export function evaluateGroup(
  match: "all" | "any",
  rules: readonly ConditionRule[],
  read: ReadVariable,
): boolean {
  return match === "all"
    ? rules.every((rule) => evaluateRule(rule, read))
    : rules.some((rule) => evaluateRule(rule, read));
}
