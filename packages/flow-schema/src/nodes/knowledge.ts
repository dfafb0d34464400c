import { z } from "zod";
import { effectTimeoutMsSchema, modelRouteNameSchema, templateSchema, variableNameSchema } from "../common";
import { defineNodeSchema } from "./define-node";

/**
 * Data of a `knowledge` node: answers `question` (default: the last user message) from the bot's
 * knowledge base. A grounded answer is sent to the user when `reply` is true (with source
 * citations when `citations` is true), saved into `saveAnswerTo` when given, and takes
 * `answered`. No passage scoring >= `minScore`, or a failing lookup, takes `noAnswer`.
 */
export const knowledgeNodeDataSchema = z
  .strictObject({
    question: templateSchema.min(1).default("{{ sys.lastUserMessage }}"),
    citations: z.boolean().default(true),
    reply: z.boolean().default(true),
    topK: z.number().int().min(1).max(20).default(4),
    minScore: z.number().min(0).max(1).default(0.5),
    modelRoute: modelRouteNameSchema.optional(),
    saveAnswerTo: variableNameSchema.optional(),
    timeoutMs: effectTimeoutMsSchema.default(30_000),
  })
  .meta({ id: "KnowledgeNodeData" });

/** Data of a `knowledge` node. */
export type KnowledgeNodeData = z.infer<typeof knowledgeNodeDataSchema>;

/** A `knowledge` node. */
export const knowledgeNodeSchema = defineNodeSchema("knowledge", knowledgeNodeDataSchema, "KnowledgeNode");

/** A `knowledge` node. */
export type KnowledgeNode = z.infer<typeof knowledgeNodeSchema>;
