import { z } from "zod";
import { effectTimeoutMsSchema, modelRouteNameSchema, templateSchema, variableNameSchema } from "../common";
import { variableTypeSchema } from "../variables";
import { defineNodeSchema } from "./define-node";

/**
 * Reply mode: the model's answer is sent to the user (token by token when `stream` is true and
 * the channel supports it) and optionally saved into `saveTo`.
 */
export const llmReplyModeSchema = z
  .strictObject({
    type: z.literal("reply"),
    stream: z.boolean().default(true),
    saveTo: variableNameSchema.optional(),
  })
  .meta({ id: "LlmReplyMode" });

/** One field to extract: the model fills it, the engine checks its type and saves it into `variable`. */
export const llmExtractFieldSchema = z
  .strictObject({
    variable: variableNameSchema,
    type: variableTypeSchema,
    description: z.string().max(500).default(""),
    required: z.boolean().default(false),
  })
  .meta({ id: "LlmExtractField" });

/**
 * Extract mode: nothing is sent to the user; the model returns structured fields saved into
 * variables. A missing required field or a type mismatch takes the `error` handle.
 */
export const llmExtractModeSchema = z
  .strictObject({
    type: z.literal("extract"),
    fields: z.array(llmExtractFieldSchema).min(1).max(30),
  })
  .meta({ id: "LlmExtractMode" });

/** What the `llm` node does with the answer, discriminated by `type`. */
export const llmModeSchema = z.discriminatedUnion("type", [llmReplyModeSchema, llmExtractModeSchema]).meta({
  id: "LlmMode",
});

/**
 * Data of an `llm` node: renders `prompt` (and `systemPrompt`), adds the last `historyWindow`
 * messages of the conversation, and calls the model route `modelRoute` (default: the flow's
 * `settings.defaultModelRoute`). Success takes `next`; a timeout, provider failure or invalid
 * extraction takes `error`.
 */
export const llmNodeDataSchema = z
  .strictObject({
    prompt: templateSchema.min(1),
    systemPrompt: templateSchema.optional(),
    historyWindow: z.number().int().min(0).max(50).default(10),
    modelRoute: modelRouteNameSchema.optional(),
    mode: llmModeSchema,
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().min(1).max(32_000).optional(),
    timeoutMs: effectTimeoutMsSchema.default(30_000),
  })
  .meta({ id: "LlmNodeData" });

/** Data of an `llm` node. */
export type LlmNodeData = z.infer<typeof llmNodeDataSchema>;
/** What an `llm` node does with the answer. */
export type LlmMode = z.infer<typeof llmModeSchema>;
/** One field extracted by an `llm` node in extract mode. */
export type LlmExtractField = z.infer<typeof llmExtractFieldSchema>;

/** An `llm` node. */
export const llmNodeSchema = defineNodeSchema("llm", llmNodeDataSchema, "LlmNode");

/** An `llm` node. */
export type LlmNode = z.infer<typeof llmNodeSchema>;
