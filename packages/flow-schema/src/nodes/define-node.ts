import { z } from "zod";
import { nodeIdSchema, positionSchema } from "../common";

/**
 * Builds the schema of one node kind: the fields every node shares (`id`, `kind`, `position`,
 * optional `label`) plus the kind's own `data`. Internal: each `nodes/<kind>.ts` uses it.
 */
export function defineNodeSchema<const K extends string, D extends z.ZodType>(kind: K, data: D, id: string) {
  return z
    .strictObject({
      id: nodeIdSchema,
      kind: z.literal(kind),
      position: positionSchema,
      label: z.string().max(200).optional().meta({ description: "Title shown on the canvas." }),
      data,
    })
    .meta({ id });
}
