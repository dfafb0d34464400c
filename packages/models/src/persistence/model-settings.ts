import { z } from "zod";
import { embeddingSettingsSchema } from "../config/tenant-model-config";

/** The `models` part of a tenant's `settings` JSON. */
export const tenantModelSettingsSchema = z.object({
  preferredProviders: z.array(z.string().min(1)).default([]),
  embeddings: embeddingSettingsSchema.optional(),
});

/** The `models` part of a bot's `settings` JSON (its default route is the bot's own column). */
export const botModelSettingsJsonSchema = z.object({
  routeOverrides: z.record(z.string().min(1), z.string().min(1)).default({}),
  preferredProviders: z.array(z.string().min(1)).optional(),
});

/** Reads `settings.models` leniently: a missing or malformed part counts as empty. */
export function modelsPart<T extends z.ZodType>(settings: unknown, schema: T): z.infer<T> {
  const part =
    settings && typeof settings === "object" ? (settings as { models?: unknown }).models : undefined;
  const parsed = schema.safeParse(part ?? {});
  return parsed.success ? parsed.data : schema.parse({});
}
