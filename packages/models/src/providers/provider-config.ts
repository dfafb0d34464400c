import {
  providerBaseUrlSchema,
  providerKindSchema,
  providerNameSchema,
  providerOptionsSchema,
} from "@parley/contract";
import { z } from "zod";

export { type ProviderOptions, providerOptionsSchema } from "@parley/contract";

/** One provider account as configured: the key is plaintext here (decrypted from the vault). */
export const providerConfigSchema = z.object({
  /** Unique per tenant; route targets name it. */
  name: providerNameSchema,
  kind: providerKindSchema,
  apiKey: z.string().min(1).optional(),
  baseUrl: providerBaseUrlSchema.optional(),
  options: providerOptionsSchema.default({}),
  enabled: z.boolean().default(true),
});
/** One provider account as configured (input form: defaults optional). */
export type ProviderConfigInput = z.input<typeof providerConfigSchema>;
/** One provider account as configured. */
export type ProviderConfig = z.infer<typeof providerConfigSchema>;
