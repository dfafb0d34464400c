import { z } from "zod";
import { handleIdSchema, variablePathSchema } from "../common";
import { defineNodeSchema } from "./define-node";

/**
 * Operators that test the variable alone (no `value`):
 * - `isSet`: the value is neither undefined nor null; `isNotSet`: the opposite.
 * - `isEmpty`: not set, `""` (after trimming), `[]` or `{}`; `isNotEmpty`: the opposite.
 * - `isTrue` / `isFalse`: the value is the boolean `true` / `false`.
 */
export const unaryConditionOperators = [
  "isSet",
  "isNotSet",
  "isEmpty",
  "isNotEmpty",
  "isTrue",
  "isFalse",
] as const;

/**
 * Operators that compare the variable with one `value`:
 * - `equals` / `notEquals`: strict equality after coercion of numeric strings to numbers when the
 *   other side is a number; strings compare case-insensitively.
 * - `gt`, `gte`, `lt`, `lte`: numeric comparison (numbers or numeric strings; dates as
 *   `YYYY-MM-DD`/ISO strings compare chronologically); false when either side is not comparable.
 * - `contains` / `notContains`: substring (case-insensitive) for strings, membership for lists.
 * - `startsWith` / `endsWith`: case-insensitive string prefix/suffix.
 */
export const binaryConditionOperators = [
  "equals",
  "notEquals",
  "gt",
  "gte",
  "lt",
  "lte",
  "contains",
  "notContains",
  "startsWith",
  "endsWith",
] as const;

/** Operators that test membership of the variable in a list `value`: `in` / `notIn` (same equality as `equals`). */
export const listConditionOperators = ["in", "notIn"] as const;

/** Every structured condition operator. No regular expressions: tenants cannot supply patterns. */
export const conditionOperators = [
  ...unaryConditionOperators,
  ...binaryConditionOperators,
  ...listConditionOperators,
] as const;

/** A scalar literal a rule compares with. */
export const conditionLiteralSchema = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);

/** Compare with the current value of another variable instead of a literal. */
export const variableOperandSchema = z
  .strictObject({ variable: variablePathSchema })
  .meta({ id: "VariableOperand" });

/** A rule with no operand (`isSet`, `isEmpty`, ...). */
export const unaryConditionRuleSchema = z
  .strictObject({
    variable: variablePathSchema,
    operator: z.enum(unaryConditionOperators),
  })
  .meta({ id: "UnaryConditionRule" });

/** A rule comparing the variable with a literal or another variable. */
export const binaryConditionRuleSchema = z
  .strictObject({
    variable: variablePathSchema,
    operator: z.enum(binaryConditionOperators),
    value: z.union([conditionLiteralSchema, variableOperandSchema]),
  })
  .meta({ id: "BinaryConditionRule" });

/** A rule testing membership in a literal list or in a list variable. */
export const listConditionRuleSchema = z
  .strictObject({
    variable: variablePathSchema,
    operator: z.enum(listConditionOperators),
    value: z.union([z.array(conditionLiteralSchema).max(200), variableOperandSchema]),
  })
  .meta({ id: "ListConditionRule" });

/** One structured rule on a variable, discriminated by `operator`. */
export const conditionRuleSchema = z
  .discriminatedUnion("operator", [
    unaryConditionRuleSchema,
    binaryConditionRuleSchema,
    listConditionRuleSchema,
  ])
  .meta({ id: "ConditionRule" });

/**
 * A group of rules combined with `all` (AND) or `any` (OR). Its `id` is the name of the output
 * handle taken when the group matches.
 */
export const conditionGroupSchema = z
  .strictObject({
    id: handleIdSchema,
    label: z.string().max(80).optional(),
    match: z.enum(["all", "any"]).default("all"),
    rules: z.array(conditionRuleSchema).min(1).max(50),
  })
  .meta({ id: "ConditionGroup" });

/**
 * Data of a `condition` node: groups are tested in order; the first matching group's handle (its
 * `id`) is taken, or `else` when none matches.
 */
export const conditionNodeDataSchema = z
  .strictObject({
    groups: z.array(conditionGroupSchema).min(1).max(20),
  })
  .meta({ id: "ConditionNodeData" });

/** Data of a `condition` node. */
export type ConditionNodeData = z.infer<typeof conditionNodeDataSchema>;
/** A group of rules of a `condition` node. */
export type ConditionGroup = z.infer<typeof conditionGroupSchema>;
/** One rule of a condition group. */
export type ConditionRule = z.infer<typeof conditionRuleSchema>;
/** A structured condition operator. */
export type ConditionOperator = (typeof conditionOperators)[number];
/** A scalar literal a rule compares with. */
export type ConditionLiteral = z.infer<typeof conditionLiteralSchema>;
/** A reference to another variable as a rule operand. */
export type VariableOperand = z.infer<typeof variableOperandSchema>;

/** A `condition` node. */
export const conditionNodeSchema = defineNodeSchema("condition", conditionNodeDataSchema, "ConditionNode");

/** A `condition` node. */
export type ConditionNode = z.infer<typeof conditionNodeSchema>;
