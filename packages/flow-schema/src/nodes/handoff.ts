import { z } from "zod";
import { templateSchema } from "../common";
import { defineNodeSchema } from "./define-node";

/**
 * Data of a `handoff` node: sends `message` to the user (when given), hands the conversation to
 * a human agent in `queue` (default queue when omitted) with `reason` for the agent, and waits.
 * When the agent hands the conversation back to the bot, the flow continues through `next`.
 */
export const handoffNodeDataSchema = z
  .strictObject({
    reason: templateSchema.optional(),
    queue: z.string().min(1).max(128).optional(),
    message: templateSchema.optional(),
    priority: z.enum(["low", "normal", "high", "urgent"]).default("normal"),
  })
  .meta({ id: "HandoffNodeData" });

/** Data of a `handoff` node. */
export type HandoffNodeData = z.infer<typeof handoffNodeDataSchema>;

/** A `handoff` node. */
export const handoffNodeSchema = defineNodeSchema("handoff", handoffNodeDataSchema, "HandoffNode");

/** A `handoff` node. */
export type HandoffNode = z.infer<typeof handoffNodeSchema>;
