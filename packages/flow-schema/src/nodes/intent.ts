import { z } from "zod";
import {
  handleIdSchema,
  IDENTIFIER_PATTERN,
  modelRouteNameSchema,
  templateSchema,
  variableNameSchema,
} from "../common";
import { defineNodeSchema } from "./define-node";

/**
 * An intent to recognise. Its `name` is also the name of the output handle taken when it wins,
 * so it must be unique in the node and must not be `fallback`.
 */
export const intentDefinitionSchema = z
  .strictObject({
    name: handleIdSchema,
    description: z.string().max(500).optional(),
    examples: z.array(z.string().min(1).max(500)).min(1).max(500),
  })
  .meta({ id: "IntentDefinition" });

/** Built-in entity types recognised without configuration. */
export const builtinEntityTypes = ["email", "phone", "number", "date", "url"] as const;

/** One value of a list entity, with synonyms (`large` <- `big`, `XL`). */
export const entityListValueSchema = z
  .strictObject({
    value: z.string().min(1).max(200),
    synonyms: z.array(z.string().min(1).max(200)).max(100).default([]),
  })
  .meta({ id: "EntityListValue" });

/**
 * An entity to extract from the same text. `type: "list"` matches `values` (and synonyms);
 * the other types are built in. The first match is saved into `saveTo` (when given).
 */
export const entityDefinitionSchema = z
  .strictObject({
    name: z.string().min(1).max(64).regex(IDENTIFIER_PATTERN, "must be an identifier"),
    type: z.enum([...builtinEntityTypes, "list"]),
    values: z.array(entityListValueSchema).max(500).default([]),
    saveTo: variableNameSchema.optional(),
  })
  .meta({ id: "EntityDefinition" });

/**
 * Data of an `intent` node: classifies `text` (default: the last user message) without waiting.
 * `classifier: "nlu"` uses the offline NLU trained from the examples; `"llm"` asks `modelRoute`.
 * The best intent with a confidence >= `threshold` takes its handle (its `name`); otherwise,
 * and when classification fails, `fallback`. The winner is also in `sys.lastIntent`.
 */
export const intentNodeDataSchema = z
  .strictObject({
    text: templateSchema.min(1).default("{{ sys.lastUserMessage }}"),
    classifier: z.enum(["nlu", "llm"]).default("nlu"),
    modelRoute: modelRouteNameSchema.optional(),
    intents: z.array(intentDefinitionSchema).min(1).max(100),
    entities: z.array(entityDefinitionSchema).max(50).default([]),
    threshold: z.number().min(0).max(1).default(0.7),
    saveIntentTo: variableNameSchema.optional(),
  })
  .meta({ id: "IntentNodeData" });

/** Data of an `intent` node. */
export type IntentNodeData = z.infer<typeof intentNodeDataSchema>;
/** An intent of an `intent` node. */
export type IntentDefinition = z.infer<typeof intentDefinitionSchema>;
/** An entity of an `intent` node. */
export type EntityDefinition = z.infer<typeof entityDefinitionSchema>;

/** An `intent` node. */
export const intentNodeSchema = defineNodeSchema("intent", intentNodeDataSchema, "IntentNode");

/** An `intent` node. */
export type IntentNode = z.infer<typeof intentNodeSchema>;
