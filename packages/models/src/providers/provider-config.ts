import { z } from "zod";
import { providerKindSchema } from "./provider";

/** Non-secret provider options (stored as the provider row's `config` JSON). */
export const providerOptionsSchema = z
  .object({
    /** Azure OpenAI API version, e.g. `2024-10-21`. */
    apiVersion: z.string().min(1),
    /** Azure OpenAI deployment name (otherwise the route's model is the deployment). */
    deployment: z.string().min(1),
    /** OpenAI organisation id. */
    organization: z.string().min(1),
    /** Extra request headers (non-secret). */
    headers: z.record(z.string(), z.string()),
    /** Hugging Face inference provider for the router (default `auto`). */
    inferenceProvider: z.string().min(1),
  })
  .partial();
/** Non-secret provider options (stored as the provider row's `config` JSON). */
export type ProviderOptions = z.infer<typeof providerOptionsSchema>;

/** One provider account as configured: the key is plaintext here (decrypted from the vault). */
export const providerConfigSchema = z.object({
  /** Unique per tenant; route targets name it. */
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_.-]+$/, "a provider name may use letters, digits, '_', '.' and '-'"),
  kind: providerKindSchema,
  apiKey: z.string().min(1).optional(),
  baseUrl: z.url({ protocol: /^https?$/, error: "baseUrl must be an http(s) URL" }).optional(),
  options: providerOptionsSchema.default({}),
  enabled: z.boolean().default(true),
});
/** One provider account as configured (input form: defaults optional). */
export type ProviderConfigInput = z.input<typeof providerConfigSchema>;
/** One provider account as configured. */
export type ProviderConfig = z.infer<typeof providerConfigSchema>;
