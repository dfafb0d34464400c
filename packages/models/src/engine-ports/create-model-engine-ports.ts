import type { Database } from "@parley/db";
import type { EnginePorts } from "@parley/engine";
import type { Cache, GuardedHttpClient, SecretVault } from "@parley/infra";
import type { AnalyticsEventInput, AnalyticsSink } from "../accounting/call-record";
import { ModelAdmin } from "../admin/model-admin";
import type { TenantModelConfig } from "../config/tenant-model-config";
import { guardedUrlFetcher } from "../knowledge/guarded-url-fetcher";
import { KnowledgeBase } from "../knowledge/knowledge-base";
import { PostgresKnowledgeStore } from "../knowledge/postgres-knowledge-store";
import { ModelOrchestrator } from "../orchestrator/orchestrator";
import type { ProviderFactory } from "../orchestrator/provider-pool";
import { batchingAnalyticsSink } from "../persistence/batching-analytics-sink";
import { databaseAnalyticsSink } from "../persistence/database-analytics-sink";
import { databaseConfigSource } from "../persistence/database-config-source";
import { PostgresBudgetStore } from "../persistence/postgres-budget-store";

/** Who a turn runs for: what core's `CoreDeps.enginePorts` is called with. */
export interface EnginePortScope {
  tenantId: string;
  botId: string;
  conversationId: string;
}

/** Options of {@link createModelEnginePorts}. */
export interface ModelEnginePortsOptions {
  db: Pick<Database, "forTenant" | "system" | "conversationStore">;
  /** Decrypts the tenants' provider keys. */
  vault: SecretVault;
  /** Response cache storage: the infrastructure's cache (Redis in cluster mode, in-process embedded). */
  cache?: Cache;
  /**
   * The guarded (SSRF-safe) client: the knowledge base fetches URL lists with it, and providers a
   * tenant configured reach their endpoints through its `fetch` (the environment's providers, the
   * operator's, do not). Without it, those providers use a strict guarded client (public addresses
   * only) and URL lists cannot be imported.
   */
  http?: GuardedHttpClient;
  /**
   * How long a tenant's loaded model configuration is reused, in ms (default 5 s). Edits made in
   * this process invalidate at once (through {@link ModelEngineServices.admin}); edits made by
   * another process (the studio) take effect within this time.
   */
  configCacheTtlMs?: number;
  /** The environment's providers and `default` route (default: the offline provider only; `false`: none). */
  environment?: TenantModelConfig | false;
  /** Where call records go (default: analytics_events through the database). */
  analytics?: AnalyticsSink;
  /** Sees every analytics event as it is emitted (the host's product metrics); must not throw. */
  onAnalytics?: (events: AnalyticsEventInput[]) => void;
  /**
   * Batch call records written to the database (the default sink): at most this many ms late, one
   * insert per batch instead of one per model call. Unset: written during the call.
   */
  analyticsBatchMs?: number;
  /** Builds providers (default: the official clients); tests may pass doubles. */
  providerFactory?: ProviderFactory;
  /**
   * A node naming a route the tenant does not have: `default` (the default here) answers through
   * the bot's default route, so template flows naming `fast` or `smart` work on a new tenant;
   * `fail` takes the node's error branch.
   */
  unknownRoutes?: "fail" | "default";
}

/** The model layer of one process: long-lived, shared by every turn. */
export interface ModelEngineServices {
  /** For `CoreDeps.enginePorts`: the llm and knowledge ports of one turn. */
  enginePorts(scope: EnginePortScope): EnginePorts;
  readonly orchestrator: ModelOrchestrator;
  readonly knowledgeBase: KnowledgeBase;
  /** Drops a tenant's cached model configuration (after an edit made outside {@link admin}). */
  invalidate(tenantId: string): void;
  /** The models admin (studio service functions), invalidating this process's cache on every change. */
  admin(): ModelAdmin;
  /** Writes buffered call records (with `analyticsBatchMs`); call before reading them or on shutdown. */
  flushAnalytics(): Promise<void>;
}

/**
 * Builds the process-wide model layer over the platform database: tenant configurations read from
 * the database (keys decrypted from the vault, cached briefly), the orchestrator (providers through
 * their official clients, routes, breakers, budgets in the `budgets` table, the response cache in
 * the infrastructure's cache, PII masking as routes configure it, every call recorded in
 * analytics_events), and the knowledge base over Postgres full-text search. Build it once per
 * process: the SDK clients, circuit breakers and latency averages live in it.
 *
 * ```ts
 * const models = createModelEnginePorts({ db, vault, cache: infra.cache, http });
 * const deps: CoreDeps = { db, infra, vault, http, enginePorts: models.enginePorts };
 * ```
 */
export function createModelEnginePorts(options: ModelEnginePortsOptions): ModelEngineServices {
  const configSource = databaseConfigSource({
    db: options.db,
    vault: options.vault,
    ...(options.configCacheTtlMs === undefined ? {} : { cacheTtlMs: options.configCacheTtlMs }),
  });
  const batched =
    options.analytics === undefined && options.analyticsBatchMs !== undefined
      ? batchingAnalyticsSink(databaseAnalyticsSink(options.db), { maxDelayMs: options.analyticsBatchMs })
      : undefined;
  // Most tenants have no budget: "none" is believed as long as the configuration cache (edits made
  // through this process's admin invalidate both at once).
  const budgets = new PostgresBudgetStore(options.db, options.configCacheTtlMs ?? 5_000);
  const invalidate = (tenantId: string) => {
    configSource.invalidate(tenantId);
    budgets.invalidate(tenantId);
  };
  const orchestrator = new ModelOrchestrator({
    configSource,
    ...(options.environment === undefined ? {} : { environment: options.environment }),
    ...(options.cache ? { cache: options.cache } : {}),
    budgets,
    analytics: observedSink(
      options.analytics ?? batched ?? databaseAnalyticsSink(options.db),
      options.onAnalytics,
    ),
    ...(options.providerFactory ? { providerFactory: options.providerFactory } : {}),
    ...(options.http ? { outbound: options.http } : {}),
    unknownRoutes: options.unknownRoutes ?? "default",
  });
  const knowledgeBase = new KnowledgeBase({
    store: new PostgresKnowledgeStore(options.db),
    orchestrator,
    ...(options.http ? { fetcher: guardedUrlFetcher(options.http) } : {}),
  });

  return {
    orchestrator,
    knowledgeBase,
    // The ports pass the engine's per-call options through, `knownNames` (names from the
    // conversation's variables, masked when the route masks PII) included.
    enginePorts: ({ tenantId, botId, conversationId }) => ({
      llm: orchestrator.llmPort({ tenantId, botId, conversationId }),
      knowledge: knowledgeBase.knowledgePort({ tenantId, botId, conversationId }),
    }),
    invalidate,
    admin: () =>
      new ModelAdmin({
        db: options.db,
        vault: options.vault,
        orchestrator,
        onChange: invalidate,
      }),
    flushAnalytics: () => batched?.flush() ?? Promise.resolve(),
  };
}

/** `sink`, letting `observe` see each batch first (a failing observer never loses the events). */
function observedSink(sink: AnalyticsSink, observe?: (events: AnalyticsEventInput[]) => void): AnalyticsSink {
  if (!observe) return sink;
  return {
    emit(events) {
      try {
        observe(events);
      } catch {
        // Metrics only: the events still go to the sink.
      }
      return sink.emit(events);
    },
  };
}
