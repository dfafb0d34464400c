import { z } from "zod";

/** An intent with its training phrases. */
export const nluIntentSchema = z.object({
  name: z.string().min(1),
  examples: z.array(z.string()),
});
/** An intent with its training phrases. */
export type NluIntent = z.infer<typeof nluIntentSchema>;

/** An entity the classifier should extract: named values with synonyms, or a regular expression. */
export const nluEntitySchema = z.object({
  name: z.string().min(1),
  /** Canonical value -> synonyms that mean it. */
  values: z.record(z.string(), z.array(z.string())).optional(),
  /** A regular expression source (no flags) that matches the entity in text. */
  pattern: z.string().optional(),
});
/** An entity the classifier should extract. */
export type NluEntity = z.infer<typeof nluEntitySchema>;

/** A classification request. */
export const nluRequestSchema = z.object({
  text: z.string(),
  language: z.string().default("en"),
  intents: z.array(nluIntentSchema),
  entities: z.array(nluEntitySchema).default([]),
  /** Minimum confidence in [0, 1]; below it the result has no intent. */
  threshold: z.number().min(0).max(1),
});
/** A classification request. */
export type NluRequest = z.input<typeof nluRequestSchema>;

/** An entity found in the text. */
export const nluEntityMatchSchema = z.object({
  name: z.string(),
  value: z.string(),
  /** The text that matched. */
  text: z.string(),
});
/** An entity found in the text. */
export type NluEntityMatch = z.infer<typeof nluEntityMatchSchema>;

/** A classification result. `intent` is null when nothing reached the threshold. */
export const nluResultSchema = z.object({
  intent: z.string().nullable(),
  score: z.number().min(0).max(1),
  entities: z.array(nluEntityMatchSchema),
});
/** A classification result. */
export type NluResult = z.infer<typeof nluResultSchema>;

/**
 * Port to an intent classifier. The engine ships an offline `@nlpjs` implementation
 * ({@link createOfflineNlu}); the runtime may route to an LLM classifier instead.
 */
export interface NluPort {
  classify(request: NluRequest, options: { signal: AbortSignal }): Promise<NluResult>;
}
