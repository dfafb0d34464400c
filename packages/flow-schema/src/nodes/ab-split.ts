import { z } from "zod";
import { handleIdSchema } from "../common";
import { defineNodeSchema } from "./define-node";

/** One variant of an A/B split. Its `id` is the name of the output handle taken for it. */
export const abSplitVariantSchema = z
  .strictObject({
    id: handleIdSchema,
    label: z.string().max(80).optional(),
    weight: z.number().int().min(0).max(100),
  })
  .meta({ id: "AbSplitVariant" });

/**
 * Data of an `ab-split` node: picks one variant with probability `weight`/100 (weights must sum
 * to 100, checked by `validateFlow`). The choice is sticky per conversation and reproducible
 * from the conversation id.
 */
export const abSplitNodeDataSchema = z
  .strictObject({ variants: z.array(abSplitVariantSchema).min(2).max(10) })
  .meta({ id: "AbSplitNodeData" });

/** Data of an `ab-split` node. */
export type AbSplitNodeData = z.infer<typeof abSplitNodeDataSchema>;
/** One variant of an `ab-split` node. */
export type AbSplitVariant = z.infer<typeof abSplitVariantSchema>;

/** An `ab-split` node. */
export const abSplitNodeSchema = defineNodeSchema("ab-split", abSplitNodeDataSchema, "AbSplitNode");

/** An `ab-split` node. */
export type AbSplitNode = z.infer<typeof abSplitNodeSchema>;
