import { z } from "zod";
import { handleIdSchema, nodeIdSchema } from "./common";

/**
 * A connection from a node's named output handle (`sourceHandle`, see `outputHandlesOf`) to
 * another node. Each handle has at most one edge; a node may have many incoming edges.
 */
export const flowEdgeSchema = z
  .strictObject({
    id: nodeIdSchema,
    source: nodeIdSchema,
    sourceHandle: handleIdSchema,
    target: nodeIdSchema,
  })
  .meta({ id: "FlowEdge" });

/** A connection from a node's named output handle to another node. */
export type FlowEdge = z.infer<typeof flowEdgeSchema>;
