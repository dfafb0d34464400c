import { z } from "zod";
import { apiKeyScopeSchema } from "./access";

/** `POST /api/v1/api-keys` body; input of core's `createApiKey`. */
export const createApiKeyInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    scopes: z.array(apiKeyScopeSchema).min(1).max(30),
    /** ISO date-time after which the key stops working. */
    expiresAt: z.iso
      .datetime({ offset: true })
      .refine((value) => Date.parse(value) > Date.now(), "the expiry must be in the future")
      .optional(),
    /**
     * Client addresses or CIDR ranges (`203.0.113.0/24`, `2001:db8::/32`) the key may be used from;
     * absent or empty: anywhere. Core checks and normalises each range.
     */
    allowedCidrs: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
  })
  .strict();

/** An API key as lists show it: never the key itself. */
export const apiKeyViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  /** Address ranges the key may be used from; empty: anywhere. */
  allowedCidrs: z.array(z.string()),
});
/** An API key as lists show it. */
export type ApiKeyView = z.infer<typeof apiKeyViewSchema>;

/** `POST /api/v1/api-keys` 201 response: the key itself appears here once, never again. */
export const createdApiKeySchema = z.object({ apiKey: apiKeyViewSchema, key: z.string() });
/** `POST /api/v1/api-keys` 201 response. */
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;
