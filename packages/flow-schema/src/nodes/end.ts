import { z } from "zod";
import { defineNodeSchema } from "./define-node";

/**
 * Data of an `end` node: ends the flow (in a subflow: returns to the calling flow). `outcome`
 * tags the conversation for analytics (`resolved`, `order-placed`, ...). No output handles.
 */
export const endNodeDataSchema = z
  .strictObject({ outcome: z.string().min(1).max(64).optional() })
  .meta({ id: "EndNodeData" });

/** Data of an `end` node. */
export type EndNodeData = z.infer<typeof endNodeDataSchema>;

/** An `end` node. */
export const endNodeSchema = defineNodeSchema("end", endNodeDataSchema, "EndNode");

/** An `end` node. */
export type EndNode = z.infer<typeof endNodeSchema>;
