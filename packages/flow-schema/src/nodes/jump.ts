import { z } from "zod";
import { nodeIdSchema } from "../common";
import { defineNodeSchema } from "./define-node";

/**
 * Data of a `jump` node: continues at the node `targetNodeId` of the same flow, like an edge
 * drawn from far away. It has no output handles. An empty target (a node just dropped on the
 * canvas) is allowed by the shape and reported by `validateFlow` as `missing-jump-target`.
 */
export const jumpNodeDataSchema = z
  .strictObject({ targetNodeId: z.union([z.literal(""), nodeIdSchema]) })
  .meta({ id: "JumpNodeData" });

/** Data of a `jump` node. */
export type JumpNodeData = z.infer<typeof jumpNodeDataSchema>;

/** A `jump` node. */
export const jumpNodeSchema = defineNodeSchema("jump", jumpNodeDataSchema, "JumpNode");

/** A `jump` node. */
export type JumpNode = z.infer<typeof jumpNodeSchema>;
