import type { Database } from "@parley/db";
import type { SecretVault } from "@parley/infra";
import {
  type ModelConfigSource,
  type TenantModelConfig,
  tenantModelConfigSchema,
} from "../config/tenant-model-config";
import { providerOptionsSchema } from "../providers/provider-config";
import { botModelSettingsJsonSchema, modelsPart, tenantModelSettingsSchema } from "./model-settings";
import { providerKeyBinding } from "./provider-secret";

/** Options of {@link databaseConfigSource}. */
export interface DatabaseConfigSourceOptions {
  db: Pick<Database, "forTenant">;
  vault: SecretVault;
  /** How long a tenant's loaded configuration is reused, in ms (default 5 s; 0 disables). */
  cacheTtlMs?: number;
  now?: () => number;
}

/**
 * Tenant model configurations read from the database: providers (API keys decrypted from the
 * vault), routes (policy JSON validated), the price table, bots' default routes and
 * `settings.models` overrides, the tenant's preferred providers. Cached briefly per tenant (an
 * entry is at most `cacheTtlMs` old; one in use is reloaded in the background from half that age,
 * so calls do not wait on the reload); `invalidate` drops one tenant's entry (the studio calls it
 * after an edit).
 */
export function databaseConfigSource(options: DatabaseConfigSourceOptions): ModelConfigSource & {
  invalidate(tenantId: string): void;
} {
  const ttl = options.cacheTtlMs ?? 5_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, Entry>();

  async function read(tenantId: string): Promise<TenantModelConfig> {
    const client = options.db.forTenant(tenantId);
    const [tenant, providers, routes, prices, bots] = await Promise.all([
      client.tenant.findFirst({ where: { id: tenantId }, select: { settings: true } }),
      client.modelProvider.findMany({ orderBy: { name: "asc" } }),
      client.modelRoute.findMany({ orderBy: { name: "asc" } }),
      client.modelPrice.findMany(),
      client.bot.findMany({ select: { id: true, settings: true, defaultModelRouteId: true } }),
    ]);
    const routeNames = new Map(routes.map((route) => [route.id, route.name]));
    const tenantSettings = modelsPart(tenant?.settings, tenantModelSettingsSchema);
    const config = {
      providers: providers.map((row) => ({
        name: row.name,
        kind: row.kind,
        ...(row.baseUrl ? { baseUrl: row.baseUrl } : {}),
        ...(row.apiKeyCiphertext
          ? { apiKey: options.vault.decrypt(row.apiKeyCiphertext, providerKeyBinding(tenantId, row.id)) }
          : {}),
        options: providerOptionsSchema.catch({}).parse(row.config),
        enabled: row.enabled,
      })),
      routes: Object.fromEntries(routes.map((route) => [route.name, route.policy])),
      ...(routes.find((route) => route.isDefault)
        ? { defaultRoute: routes.find((route) => route.isDefault)?.name }
        : {}),
      preferredProviders: tenantSettings.preferredProviders,
      ...(tenantSettings.embeddings ? { embeddings: tenantSettings.embeddings } : {}),
      bots: Object.fromEntries(
        bots.map((bot) => {
          const settings = modelsPart(bot.settings, botModelSettingsJsonSchema);
          const defaultRoute = bot.defaultModelRouteId ? routeNames.get(bot.defaultModelRouteId) : undefined;
          return [bot.id, { ...settings, ...(defaultRoute ? { defaultRoute } : {}) }];
        }),
      ),
      prices: prices.map((price) => ({
        provider: price.provider,
        model: price.model,
        inputPerMillion: Number(price.inputPerMillion),
        outputPerMillion: Number(price.outputPerMillion),
      })),
    };
    const parsed = tenantModelConfigSchema.safeParse(config);
    if (!parsed.success) {
      throw new Error(
        `the model configuration of tenant ${tenantId} is invalid: ${parsed.error.issues
          .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
          .join("; ")}`,
      );
    }
    return parsed.data;
  }

  /** Loads a tenant's configuration into the cache; a failed load leaves no entry behind. */
  function loadInto(tenantId: string): Entry {
    const entry: Entry = { at: now(), config: read(tenantId) };
    if (ttl > 0) cache.set(tenantId, entry);
    entry.config.catch(() => {
      if (cache.get(tenantId) === entry) cache.delete(tenantId);
    });
    return entry;
  }

  return {
    load(tenantId) {
      const cached = cache.get(tenantId);
      const age = cached ? now() - cached.at : Number.POSITIVE_INFINITY;
      if (!cached || ttl <= 0 || age >= ttl) return loadInto(tenantId).config;
      if (age >= ttl / 2 && !cached.refreshing) {
        // Refreshed ahead, in the background: a tenant in use never sees its entry expire, so its
        // turns never wait on the configuration queries (nor take five pool connections at once)
        // every `ttl`; the loaded entry answers until the new one has loaded.
        cached.refreshing = true;
        void cached.config
          .then(() => {
            // Dated when the read starts: an entry is never older than its age says.
            const at = now();
            const next = read(tenantId);
            return next.then(() => {
              if (cache.get(tenantId) === cached) cache.set(tenantId, { at, config: next });
            });
          })
          .catch(() => {
            // The entry stays until it expires; the load then made by a call reports the error.
          });
      }
      return cached.config;
    },
    invalidate(tenantId) {
      cache.delete(tenantId);
    },
  };
}

/** A cached configuration: when it was loaded, and whether a refresh of it is under way. */
interface Entry {
  at: number;
  config: Promise<TenantModelConfig>;
  refreshing?: boolean;
}
