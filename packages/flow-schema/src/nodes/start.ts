import { z } from "zod";
import { defineNodeSchema } from "./define-node";

/**
 * Data of a `start` node: the entry point of a flow (exactly one per flow). It has no settings;
 * its single output handle is `next`.
 */
export const startNodeDataSchema = z.strictObject({}).meta({ id: "StartNodeData" });

/** Data of a `start` node. */
export type StartNodeData = z.infer<typeof startNodeDataSchema>;

/** A `start` node. */
export const startNodeSchema = defineNodeSchema("start", startNodeDataSchema, "StartNode");

/** A `start` node. */
export type StartNode = z.infer<typeof startNodeSchema>;
