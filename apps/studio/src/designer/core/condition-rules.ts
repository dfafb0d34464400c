import type {
  ConditionGroup,
  ConditionLiteral,
  ConditionNodeData,
  ConditionOperator,
  ConditionRule,
  VariableOperand,
} from "@parley/flow-schema";

/** How many operands an operator takes: none (`is empty`), one value, or a list of values. */
export type OperandArity = "none" | "one" | "list";

/** One operator as the condition editor offers it: the schema's name and the words a user reads. */
export interface OperatorChoice {
  readonly operator: ConditionOperator;
  /** The words between the variable and the value: `size` **is** `"large"`. */
  readonly words: string;
  readonly arity: OperandArity;
}

/**
 * Every operator of the flow schema, in the order the editor offers them, with its words. Each
 * schema operator appears exactly once, so any rule the schema allows can be shown and edited.
 */
export const operatorCatalogue: readonly OperatorChoice[] = [
  { operator: "equals", words: "is", arity: "one" },
  { operator: "notEquals", words: "is not", arity: "one" },
  { operator: "contains", words: "contains", arity: "one" },
  { operator: "notContains", words: "does not contain", arity: "one" },
  { operator: "startsWith", words: "starts with", arity: "one" },
  { operator: "endsWith", words: "ends with", arity: "one" },
  { operator: "gt", words: "is greater than", arity: "one" },
  { operator: "lt", words: "is less than", arity: "one" },
  { operator: "gte", words: "is at least", arity: "one" },
  { operator: "lte", words: "is at most", arity: "one" },
  { operator: "in", words: "is one of", arity: "list" },
  { operator: "notIn", words: "is none of", arity: "list" },
  { operator: "isEmpty", words: "is empty", arity: "none" },
  { operator: "isNotEmpty", words: "is not empty", arity: "none" },
  { operator: "isSet", words: "has a value", arity: "none" },
  { operator: "isNotSet", words: "has no value", arity: "none" },
  { operator: "isTrue", words: "is true", arity: "none" },
  { operator: "isFalse", words: "is false", arity: "none" },
];

const byOperator = new Map(operatorCatalogue.map((choice) => [choice.operator, choice]));

/** The catalogue entry of an operator. */
export function operatorChoice(operator: ConditionOperator): OperatorChoice {
  const choice = byOperator.get(operator);
  if (!choice) throw new Error(`unknown condition operator ${operator}`);
  return choice;
}

/** What kind of value a rule compares with, as the value field's type picker offers it. */
export type OperandKind = "text" | "number" | "boolean" | "null" | "variable";

/** The words of each operand kind in the type picker. */
export const operandKindLabels: Readonly<Record<OperandKind, string>> = {
  text: "text",
  number: "number",
  boolean: "yes / no",
  null: "nothing",
  variable: "another variable",
};

/** A single operand of a rule: a literal or a reference to another variable. */
export type Operand = ConditionLiteral | VariableOperand;

/** Whether an operand refers to another variable. */
export function isVariableOperand(value: unknown): value is VariableOperand {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "variable" in value;
}

/** The kind of an operand (what the type picker shows for it). */
export function operandKind(value: Operand): OperandKind {
  if (isVariableOperand(value)) return "variable";
  if (value === null) return "null";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  return "text";
}

/**
 * Converts an operand to another kind, keeping what can be kept: `"12"` becomes `12` as a number,
 * `12` becomes `"12"` as text, a text `"yes"`/`"true"` becomes `true`.
 *
 * @example convertOperand("12", "number") // 12
 */
export function convertOperand(value: Operand, kind: OperandKind): Operand {
  if (operandKind(value) === kind) return value;
  const text = isVariableOperand(value) ? value.variable : value === null ? "" : String(value);
  switch (kind) {
    case "text":
      return text;
    case "number": {
      const number = Number(text);
      return text.trim() !== "" && Number.isFinite(number) ? number : 0;
    }
    case "boolean":
      return /^(true|yes|1)$/i.test(text.trim());
    case "null":
      return null;
    case "variable":
      return { variable: "" };
  }
}

/** A blank operand for a new rule or a freshly chosen operator. */
const BLANK_OPERAND: Operand = "";

/**
 * Changes a rule's operator, keeping its variable and as much of its value as the new operator can
 * take: a single value becomes a one-item list for `is one of`, a list gives its first item back.
 */
export function withOperator(rule: ConditionRule, operator: ConditionOperator): ConditionRule {
  const arity = operatorChoice(operator).arity;
  const old = "value" in rule ? rule.value : undefined;
  if (arity === "none") return { variable: rule.variable, operator } as ConditionRule;
  if (arity === "one") {
    const value: Operand = Array.isArray(old)
      ? old.length > 0
        ? (old[0] as Operand)
        : BLANK_OPERAND
      : old === undefined
        ? BLANK_OPERAND
        : old;
    return { variable: rule.variable, operator, value } as ConditionRule;
  }
  const value = Array.isArray(old) ? old : isVariableOperand(old) ? old : old === undefined ? [] : [old];
  return { variable: rule.variable, operator, value } as ConditionRule;
}

/** A new rule for a group: the variable given (or blank), `is`, an empty text. */
export function newRule(variable = ""): ConditionRule {
  return { variable, operator: "equals", value: "" };
}

/** A handle id for a new group that no other group of the node uses (`group-2`, `group-3`...). */
export function newGroupId(groups: readonly ConditionGroup[]): string {
  const used = new Set(groups.map((g) => g.id));
  for (let n = groups.length + 1; ; n++) if (!used.has(`group-${n}`)) return `group-${n}`;
}

/** A new group (all of one blank rule) appended after the others. */
export function newGroup(groups: readonly ConditionGroup[]): ConditionGroup {
  return { id: newGroupId(groups), match: "all", rules: [newRule()] };
}

/** An operand as words: text quoted, numbers and yes/no bare, another variable by its name. */
export function operandWords(value: Operand): string {
  if (isVariableOperand(value)) return value.variable || "?";
  if (value === null) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

/**
 * One rule as a sentence.
 *
 * @example ruleSentence({ variable: "size", operator: "equals", value: "large" }) // 'size is "large"'
 */
export function ruleSentence(rule: ConditionRule): string {
  const subject = rule.variable || "?";
  const { words } = operatorChoice(rule.operator);
  if (!("value" in rule)) return `${subject} ${words}`;
  const value = rule.value;
  if (Array.isArray(value)) return `${subject} ${words} ${value.map(operandWords).join(", ") || "(nothing)"}`;
  return `${subject} ${words} ${operandWords(value)}`;
}

/** A group's rules as one sentence, joined by "and" (match all) or "or" (match any). */
export function groupSentence(group: ConditionGroup): string {
  const joiner = group.match === "any" ? " or " : " and ";
  return group.rules.map(ruleSentence).join(joiner);
}

/** What a condition node shows on the canvas: one line per group, then where it goes otherwise. */
export function conditionSummary(data: ConditionNodeData): string[] {
  const lines = data.groups.map((group) => `${group.label || group.id}: ${groupSentence(group)}`);
  return [...lines, "otherwise: else"];
}
