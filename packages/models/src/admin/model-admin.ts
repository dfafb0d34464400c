import type { saveBudgetSchema, saveProviderSchema, saveRouteSchema } from "@parley/contract";
import type { Database } from "@parley/db";
import type { SecretVault } from "@parley/infra";
import type { z } from "zod";
import type { AttemptRecord } from "../accounting/call-record";
import type { modelPriceSchema } from "../accounting/price-table";
import { type EmbeddingSettings, embeddingSettingsSchema } from "../config/tenant-model-config";
import type { ModelOrchestrator } from "../orchestrator/orchestrator";
import { databaseConfigSource } from "../persistence/database-config-source";
import type { providerKindSchema } from "../providers/provider";
import type { providerOptionsSchema } from "../providers/provider-config";
import type { AdminContext } from "./admin-context";
import { getEmbeddings, saveEmbeddings } from "./embedding-admin";
import { deleteProvider, listProviders, saveProvider } from "./provider-admin";
import { deleteRoute, listRoutes, saveRoute } from "./route-admin";
import {
  getBotRouting,
  getTenantRouting,
  listBotRouting,
  saveBotRouting,
  saveTenantRouting,
} from "./routing-admin";
import type {
  BotRouting,
  saveBotRoutingSchema,
  saveTenantRoutingSchema,
  TenantRouting,
} from "./routing-preferences";
import { deleteBudget, deletePrice, listBudgets, listPrices, saveBudget, savePrice } from "./spend-admin";
import { tryPrompt } from "./try-prompt";

/** A provider as the studio shows it: never the key, only whether one is stored. */
export interface ProviderSummary {
  id: string;
  name: string;
  kind: z.infer<typeof providerKindSchema>;
  baseUrl?: string;
  options: z.infer<typeof providerOptionsSchema>;
  enabled: boolean;
  hasApiKey: boolean;
}

export { saveBudgetSchema, saveProviderSchema, saveRouteSchema } from "@parley/contract";

/** Input of {@link ModelAdmin.saveEmbeddings}: the knowledge base's embedding model. */
export const saveEmbeddingsSchema = embeddingSettingsSchema;

/** What the studio's "try it" box shows. */
export interface TryPromptResult {
  text: string;
  provider?: string;
  model?: string;
  /** The route asked for (`default` when none was named). */
  requestedRoute: string;
  /** The route used: differs after a bot's default route or override, or a budget downgrade. */
  route: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  cacheHit: boolean;
  attempts: AttemptRecord[];
}

export { ModelAdminError } from "./model-admin-error";

/** Options of {@link ModelAdmin}. */
export interface ModelAdminOptions {
  db: Pick<Database, "forTenant">;
  vault: SecretVault;
  /** For {@link ModelAdmin.tryPrompt}. */
  orchestrator?: ModelOrchestrator;
  /** Told after every change, so cached configurations are dropped. */
  onChange?: (tenantId: string) => void;
  /**
   * Checks a provider base URL before it is saved (SSRF rules). Default: the orchestrator's check
   * (the rules its calls run under), or without an orchestrator the strict guarded client's.
   */
  checkEndpoint?: (url: string) => Promise<void>;
}

/**
 * The studio's models page as service functions: providers and keys (stored encrypted, never
 * returned), routes (ordered policies), the price table, budgets, and a "try it" call. Every
 * method is scoped to one tenant; inputs are validated with the exported zod schemas.
 */
export class ModelAdmin {
  private readonly admin: AdminContext;

  constructor(options: ModelAdminOptions) {
    this.admin = { options, changed: (tenantId) => options.onChange?.(tenantId) };
  }

  listProviders(tenantId: string): Promise<ProviderSummary[]> {
    return listProviders(this.admin, tenantId);
  }

  /**
   * Creates or updates a provider; the key is encrypted bound to the row and never returned. A base
   * URL must be one the platform may contact; a new base URL or kind of a provider with a stored key
   * needs the key again (a ModelAdminError on `apiKey`).
   */
  saveProvider(tenantId: string, input: z.input<typeof saveProviderSchema>): Promise<ProviderSummary> {
    return saveProvider(this.admin, tenantId, input);
  }

  deleteProvider(tenantId: string, providerId: string): Promise<boolean> {
    return deleteProvider(this.admin, tenantId, providerId);
  }

  listRoutes(tenantId: string) {
    return listRoutes(this.admin, tenantId);
  }

  /** Creates or updates a route. Every target must name a configured provider. */
  saveRoute(tenantId: string, input: z.input<typeof saveRouteSchema>) {
    return saveRoute(this.admin, tenantId, input);
  }

  deleteRoute(tenantId: string, routeId: string): Promise<boolean> {
    return deleteRoute(this.admin, tenantId, routeId);
  }

  listPrices(tenantId: string) {
    return listPrices(this.admin, tenantId);
  }

  /** Sets the tenant's price of one provider/model (USD per million tokens). */
  savePrice(tenantId: string, input: z.input<typeof modelPriceSchema>) {
    return savePrice(this.admin, tenantId, input);
  }

  deletePrice(tenantId: string, priceId: string): Promise<boolean> {
    return deletePrice(this.admin, tenantId, priceId);
  }

  listBudgets(tenantId: string, now: Date = new Date()) {
    return listBudgets(this.admin, tenantId, now);
  }

  /** Creates or updates the tenant's budget (no botId) or a bot's budget; spend so far is kept. */
  saveBudget(tenantId: string, input: z.input<typeof saveBudgetSchema>, now: Date = new Date()) {
    return saveBudget(this.admin, tenantId, input, now);
  }

  deleteBudget(tenantId: string, budgetId: string): Promise<boolean> {
    return deleteBudget(this.admin, tenantId, budgetId);
  }

  /** The tenant's embedding model for the knowledge base, or null (full-text retrieval only). */
  getEmbeddings(tenantId: string): Promise<EmbeddingSettings | null> {
    return getEmbeddings(this.admin, tenantId);
  }

  /** Sets (or with null removes) the tenant's embedding model (an OpenAI-family provider). */
  saveEmbeddings(
    tenantId: string,
    input: z.input<typeof saveEmbeddingsSchema> | null,
  ): Promise<EmbeddingSettings | null> {
    return saveEmbeddings(this.admin, tenantId, input);
  }

  /** The workspace's default route (null: the route named `default`) and preferred providers. */
  getTenantRouting(tenantId: string): Promise<TenantRouting> {
    return getTenantRouting(this.admin, tenantId);
  }

  /** Sets the workspace's default route and preferred providers; every problem at once, by field. */
  saveTenantRouting(
    tenantId: string,
    input: z.input<typeof saveTenantRoutingSchema>,
  ): Promise<TenantRouting> {
    return saveTenantRouting(this.admin, tenantId, input);
  }

  /** Routing choices of every (unarchived) bot of the tenant. */
  listBotRouting(tenantId: string): Promise<BotRouting[]> {
    return listBotRouting(this.admin, tenantId);
  }

  /** One bot's routing choices, or undefined when the tenant has no such bot. */
  getBotRouting(tenantId: string, botId: string): Promise<BotRouting | undefined> {
    return getBotRouting(this.admin, tenantId, botId);
  }

  /** Sets one bot's default route, route overrides and preferred providers; every problem at once. */
  saveBotRouting(
    tenantId: string,
    botId: string,
    input: z.input<typeof saveBotRoutingSchema>,
  ): Promise<BotRouting> {
    return saveBotRouting(this.admin, tenantId, botId, input);
  }

  /** Sends one prompt through the routing layer, for the studio's "try it" box. */
  tryPrompt(
    tenantId: string,
    input: { prompt: string; route?: string; botId?: string },
    signal: AbortSignal = AbortSignal.timeout(60_000),
  ): Promise<TryPromptResult> {
    return tryPrompt(this.admin, tenantId, input, signal);
  }
}

/** The database-backed configuration source to give the orchestrator, with an admin that invalidates it. */
export function createDatabaseModelConfig(options: {
  db: Pick<Database, "forTenant">;
  vault: SecretVault;
  cacheTtlMs?: number;
}) {
  const source = databaseConfigSource(options);
  return {
    source,
    admin: (orchestrator?: ModelOrchestrator) =>
      new ModelAdmin({
        db: options.db,
        vault: options.vault,
        ...(orchestrator ? { orchestrator } : {}),
        onChange: source.invalidate,
      }),
  };
}
