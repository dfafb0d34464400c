import { z } from "zod";
import { jsonataExpressionSchema, jsonValueSchema, templateSchema, variableNameSchema } from "../common";
import { defineNodeSchema } from "./define-node";

/** Assign a literal JSON value; it must match the variable's declared type. */
export const literalAssignmentValueSchema = z
  .strictObject({ type: z.literal("literal"), value: jsonValueSchema })
  .meta({ id: "LiteralAssignmentValue" });

/**
 * Assign the result of a JSONata expression evaluated against the variables object (system
 * variables under `sys`), within the engine's time and size budget.
 */
export const expressionAssignmentValueSchema = z
  .strictObject({ type: z.literal("expression"), expression: jsonataExpressionSchema })
  .meta({ id: "ExpressionAssignmentValue" });

/** Assign the rendered text of a `{{ path }}` template (always a string). */
export const templateAssignmentValueSchema = z
  .strictObject({ type: z.literal("template"), template: templateSchema })
  .meta({ id: "TemplateAssignmentValue" });

/** Where an assigned value comes from, discriminated by `type`. */
export const assignmentValueSchema = z
  .discriminatedUnion("type", [
    literalAssignmentValueSchema,
    expressionAssignmentValueSchema,
    templateAssignmentValueSchema,
  ])
  .meta({ id: "AssignmentValue" });

/** One assignment: a declared variable and its new value. */
export const assignmentSchema = z
  .strictObject({ variable: variableNameSchema, value: assignmentValueSchema })
  .meta({ id: "Assignment" });

/**
 * Data of a `set-variable` node: applies the assignments in order (later ones see earlier ones).
 * Output handle: `next`.
 */
export const setVariableNodeDataSchema = z
  .strictObject({ assignments: z.array(assignmentSchema).max(50) })
  .meta({ id: "SetVariableNodeData" });

/** Data of a `set-variable` node. */
export type SetVariableNodeData = z.infer<typeof setVariableNodeDataSchema>;
/** One assignment of a `set-variable` node. */
export type Assignment = z.infer<typeof assignmentSchema>;
/** Where an assigned value comes from. */
export type AssignmentValue = z.infer<typeof assignmentValueSchema>;

/** A `set-variable` node. */
export const setVariableNodeSchema = defineNodeSchema(
  "set-variable",
  setVariableNodeDataSchema,
  "SetVariableNode",
);

/** A `set-variable` node. */
export type SetVariableNode = z.infer<typeof setVariableNodeSchema>;
