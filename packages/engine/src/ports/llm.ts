import { z } from "zod";

/** One message of the conversation as the model sees it. */
export const llmMessageSchema = z.object({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
});
/** One message of the conversation as the model sees it. */
export type LlmMessage = z.infer<typeof llmMessageSchema>;

/** A field the model must extract when a request is in extraction (JSON) mode. */
export const llmExtractFieldSchema = z.object({
  /** Name of the field in the returned JSON object (the engine maps it to a variable). */
  name: z.string().min(1),
  type: z.enum(["string", "number", "boolean", "date", "list", "object"]),
  description: z.string().optional(),
  required: z.boolean().default(false),
});
/** A field the model must extract when a request is in extraction (JSON) mode. */
export type LlmExtractField = z.infer<typeof llmExtractFieldSchema>;

/** What the engine asks of a language model. */
export const llmRequestSchema = z.object({
  /** Model route name; the runtime's model orchestrator resolves it to a provider and model. */
  route: z.string().min(1),
  messages: z.array(llmMessageSchema).min(1),
  /** Present when the node extracts structured fields: the answer must be a JSON object with them. */
  extract: z.object({ fields: z.array(llmExtractFieldSchema).min(1) }).optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().optional(),
});
/** What the engine asks of a language model. */
export type LlmRequest = z.infer<typeof llmRequestSchema>;

/** What a language model answered. */
export const llmResponseSchema = z.object({
  /** The full reply text (for extraction, the raw JSON text). */
  text: z.string(),
  /** The parsed object in extraction mode. */
  json: z.record(z.string(), z.unknown()).optional(),
  /** Provider/model that answered, for the trace. */
  model: z.string().optional(),
  usage: z
    .object({ inputTokens: z.number().int().nonnegative(), outputTokens: z.number().int().nonnegative() })
    .optional(),
});
/** What a language model answered. */
export type LlmResponse = z.infer<typeof llmResponseSchema>;

/** Per-call options of {@link LlmPort.complete}. */
export interface LlmCallOptions {
  /** Aborted when the node's timeout expires or the turn is cancelled; the provider must stop. */
  signal: AbortSignal;
  /** Called with each text token as it arrives, when the provider streams. */
  onToken?: (token: string) => void;
  /**
   * Personal names the conversation knows (variables that hold names, the contact's name; see the
   * engine's `knownNamesOf` for the rule). A port that masks personal data before a prompt leaves
   * the platform masks these too, and puts them back into the reply.
   */
  knownNames?: readonly string[];
}

/**
 * Port to a language model. The runtime implements it over its model orchestrator
 * (routes, providers, budgets); the engine ships an offline stand-in.
 * Implementations reject (never resolve with partial garbage) on failure or abort.
 */
export interface LlmPort {
  complete(request: LlmRequest, options: LlmCallOptions): Promise<LlmResponse>;
}
