import { z } from "zod";
import { modelRouteNameSchema, nodeIdSchema, templateSchema } from "./common";

/** The message sent on an unrecoverable error when the flow does not set its own. */
export const DEFAULT_FALLBACK_MESSAGE = "Sorry, something went wrong on our side. Please try again later.";

/**
 * What happens when an effect (http, llm, intent, knowledge, subflow...) fails in a way the node
 * cannot route (no error branch applies) or the turn cannot continue: the engine sends `message`
 * (when not empty) and continues at `nodeId` when given, otherwise it ends the conversation's flow.
 */
export const fallbackSettingsSchema = z
  .strictObject({
    message: templateSchema.default(DEFAULT_FALLBACK_MESSAGE),
    nodeId: nodeIdSchema.optional(),
  })
  .meta({ id: "FallbackSettings" });

/** Flow-wide settings. */
export const flowSettingsSchema = z
  .strictObject({
    language: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a BCP 47 language tag such as en or pt-BR")
      .default("en"),
    typingDelayMs: z.number().int().min(0).max(10_000).default(0),
    fallback: fallbackSettingsSchema.prefault({}),
    defaultModelRoute: modelRouteNameSchema.optional(),
  })
  .meta({ id: "FlowSettings" });

/** Flow-wide settings. */
export type FlowSettings = z.infer<typeof flowSettingsSchema>;
/** The flow's fallback behaviour. */
export type FallbackSettings = z.infer<typeof fallbackSettingsSchema>;
