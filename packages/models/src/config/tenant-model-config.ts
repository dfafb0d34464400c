import { z } from "zod";
import { modelPriceSchema } from "../accounting/price-table";
import { providerConfigSchema } from "../providers/provider-config";
import { routePolicySchema } from "../routing/route-policy";

const routeNameSchema = z.string().min(1).max(128);

/** Per-bot choices that override the tenant's. */
export const botModelSettingsSchema = z.object({
  /** Route used when a node names none (or names `default`). */
  defaultRoute: routeNameSchema.optional(),
  /** Route substitutions: a node asking for the key gets the value. */
  routeOverrides: z.record(routeNameSchema, routeNameSchema).default({}),
  /** Providers this bot prefers, in order (their targets are tried first); replaces the tenant's list. */
  preferredProviders: z.array(z.string().min(1)).optional(),
});
/** Per-bot choices that override the tenant's. */
export type BotModelSettings = z.infer<typeof botModelSettingsSchema>;

/**
 * The model that embeds knowledge passages and questions (hybrid retrieval: vector similarity with
 * full-text ranking, when the database has pgvector). Served by a provider of the OpenAI family.
 */
export const embeddingSettingsSchema = z.object({
  /** Name of a configured provider (OpenAI, Azure OpenAI or an OpenAI-compatible server). */
  provider: z.string().min(1),
  model: z.string().min(1).max(200),
  /** Shorter vectors, for models that support it (`text-embedding-3-*`). */
  dimensions: z.number().int().min(1).max(16_000).optional(),
  /**
   * Cosine similarity at which a passage counts as just relevant for this model (it ranks like a
   * full-text match of half the question's terms). Model-dependent; 0.5 suits OpenAI's models.
   */
  minSimilarity: z.number().min(0).max(1).default(0.5),
});
/** The embedding model of a tenant. */
export type EmbeddingSettings = z.infer<typeof embeddingSettingsSchema>;

/**
 * Everything the orchestrator needs to know about one tenant's models (loaded from the database
 * with keys decrypted, or built from the environment).
 */
export const tenantModelConfigSchema = z.object({
  providers: z.array(providerConfigSchema).default([]),
  routes: z.record(routeNameSchema, routePolicySchema).default({}),
  /** Route used when neither the node nor the bot names one. */
  defaultRoute: routeNameSchema.optional(),
  /** Providers the tenant prefers, in order: their targets are tried first within every strategy. */
  preferredProviders: z.array(z.string().min(1)).default([]),
  bots: z.record(z.string().min(1), botModelSettingsSchema).default({}),
  prices: z.array(modelPriceSchema).default([]),
  /** Embeddings for the knowledge base; without, retrieval is full-text only. */
  embeddings: embeddingSettingsSchema.optional(),
});
/** One tenant's model configuration (input form). */
export type TenantModelConfigInput = z.input<typeof tenantModelConfigSchema>;
/** One tenant's model configuration. */
export type TenantModelConfig = z.infer<typeof tenantModelConfigSchema>;

/**
 * Where tenant configurations come from. The runtime's implementation reads the database (and
 * should cache briefly); {@link staticConfigSource} serves fixed ones.
 */
export interface ModelConfigSource {
  load(tenantId: string): Promise<TenantModelConfig>;
}

/** A source that returns the same configuration for every tenant, or one per tenant id. */
export function staticConfigSource(
  config: TenantModelConfigInput | ((tenantId: string) => TenantModelConfigInput),
): ModelConfigSource {
  const fixed = typeof config === "function" ? undefined : tenantModelConfigSchema.parse(config);
  return {
    async load(tenantId) {
      return (
        fixed ?? tenantModelConfigSchema.parse((config as (id: string) => TenantModelConfigInput)(tenantId))
      );
    },
  };
}
