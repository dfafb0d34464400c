import { z } from "zod";
import { flowIdSchema, variableNameSchema, variablePathSchema } from "../common";
import { defineNodeSchema } from "./define-node";

/** Passes a value into the subflow: `child` (a variable of the called flow) gets the value at `parent`. */
export const subflowInputSchema = z
  .strictObject({ child: variableNameSchema, parent: variablePathSchema })
  .meta({ id: "SubflowInput" });

/** Brings a value back: when the subflow ends, `parent` (a declared variable here) gets `child`. */
export const subflowOutputSchema = z
  .strictObject({ child: variableNameSchema, parent: variableNameSchema })
  .meta({ id: "SubflowOutput" });

/**
 * Data of a `subflow` node: runs the flow `flowId` of the same bot (its published version) with
 * its own variables, seeded from `inputs`. When the subflow reaches an `end` node, `outputs` are
 * copied back and this flow continues through `next`. Contact-scoped variables are shared.
 */
export const subflowNodeDataSchema = z
  .strictObject({
    flowId: z.union([z.literal(""), flowIdSchema]).meta({
      description: "Id of the called flow; empty until chosen (reported as unknown-subflow).",
    }),
    inputs: z.array(subflowInputSchema).max(50).default([]),
    outputs: z.array(subflowOutputSchema).max(50).default([]),
  })
  .meta({ id: "SubflowNodeData" });

/** Data of a `subflow` node. */
export type SubflowNodeData = z.infer<typeof subflowNodeDataSchema>;
/** One input mapping of a `subflow` node. */
export type SubflowInput = z.infer<typeof subflowInputSchema>;
/** One output mapping of a `subflow` node. */
export type SubflowOutput = z.infer<typeof subflowOutputSchema>;

/** A `subflow` node. */
export const subflowNodeSchema = defineNodeSchema("subflow", subflowNodeDataSchema, "SubflowNode");

/** A `subflow` node. */
export type SubflowNode = z.infer<typeof subflowNodeSchema>;
