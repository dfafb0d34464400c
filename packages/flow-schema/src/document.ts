import { z } from "zod";
import { flowIdSchema } from "./common";
import { flowEdgeSchema } from "./edge";
import { flowNodeSchema } from "./nodes/flow-node";
import { flowSettingsSchema } from "./settings";
import { variableDeclarationSchema } from "./variables";

/** The version of the flow document this package reads and writes. */
export const CURRENT_FLOW_VERSION = 1;

/**
 * A flow document, version 1: nodes, edges between named output handles and nodes, typed
 * variables and settings. Shape only: `validateFlow` checks the semantics (one start, no
 * dangling edges, declared variables, ...). Older versions go through `migrateFlowDocument`.
 */
export const flowDocumentSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: "Optional JSON Schema reference for editors." }),
    version: z.literal(CURRENT_FLOW_VERSION),
    id: flowIdSchema,
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    nodes: z.array(flowNodeSchema).max(5000),
    edges: z.array(flowEdgeSchema).max(20_000).default([]),
    variables: z.array(variableDeclarationSchema).max(500).default([]),
    settings: flowSettingsSchema.prefault({}),
  })
  .meta({ id: "FlowDocument", title: "Parley flow document" });

/** A parsed flow document (defaults applied). */
export type FlowDocument = z.infer<typeof flowDocumentSchema>;

/** A flow document as written (fields with defaults may be omitted). */
export type FlowDocumentInput = z.input<typeof flowDocumentSchema>;
