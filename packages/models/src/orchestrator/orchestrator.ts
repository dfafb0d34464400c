import {
  type LlmCallOptions,
  type LlmPort,
  type LlmRequest,
  type LlmResponse,
  llmRequestSchema,
} from "@parley/engine";
import { type Cache, createGuardedHttpClient, type GuardedHttpClient } from "@parley/infra";
import type { BudgetStore } from "../accounting/budget";
import {
  type AnalyticsEventInput,
  type AnalyticsSink,
  MODEL_EVENT_TYPES,
  type ModelCallRecord,
} from "../accounting/call-record";
import { PriceTable } from "../accounting/price-table";
import { redactSecrets } from "../accounting/redact";
import {
  ResponseCache,
  type ResponseCache as ResponseCacheType,
  responseCacheKey,
} from "../cache/response-cache";
import { environmentModelConfig, withEnvironmentDefaults } from "../config/environment";
import type { EmbeddingSettings, ModelConfigSource, TenantModelConfig } from "../config/tenant-model-config";
import { RouteNotFoundError } from "../errors";
import { createProvider } from "../providers/create-provider";
import type { ProviderKind } from "../providers/provider";
import type { ProviderConfig } from "../providers/provider-config";
import { ProviderError } from "../providers/provider-error";
import { BreakerRegistry, type BreakerState, modelKey } from "../resilience/breakers";
import { withTimeout } from "../resilience/delay";
import { LatencyTracker } from "../resilience/latency-tracker";
import { type ResolvedRoute, resolveRoute } from "../routing/resolve-route";
import { type AttemptDeps, planAttempts, runAttempts } from "./attempt-step";
import { applyBudgets } from "./budget-step";
import { cachedResponse } from "./cache-step";
import { CallAccount, chargeBudgets, round } from "./call-account";
import { type ProviderFactory, ProviderPool } from "./provider-pool";

/** A loaded tenant configuration and what calls derive from it. */
interface PreparedConfig {
  config: TenantModelConfig;
  prices: PriceTable;
  providers: ReadonlyMap<string, ProviderConfig>;
  providerKinds: ReadonlyMap<string, ProviderKind>;
}

/** Who a call is made for. */
export interface CallContext {
  tenantId: string;
  botId?: string;
  conversationId?: string;
  /**
   * Names known from the conversation's variables (first name, full name...): masked like other
   * personal data when the route masks PII.
   */
  knownNames?: readonly string[];
  /** Overrides the orchestrator's `unknownRoutes` for this call ("try it" wants `fail`). */
  unknownRoutes?: "fail" | "default";
}

/** Vectors of an embedding call, with the vector space they belong to. */
export interface EmbeddedTexts {
  vectors: number[][];
  /**
   * Identifies the vector space (`provider/model`, plus `@dimensions` when shortened): vectors are
   * only compared with vectors of the same space.
   */
  space: string;
  settings: EmbeddingSettings;
}

/** Texts per embedding request (providers cap the batch; OpenAI allows 2048). */
const EMBEDDING_BATCH = 64;

/**
 * How providers a tenant configured reach their endpoints: the platform's guarded HTTP client (its
 * `fetch` carries every SDK request; `checkUrl` validates endpoints when they are saved).
 */
export type ProviderOutbound = Pick<GuardedHttpClient, "fetch" | "operatorFetch" | "checkUrl">;

/** The engine's answer plus the accounting record of the call. */
export interface OrchestratedResponse extends LlmResponse {
  record: ModelCallRecord;
}

/** Options of {@link ModelOrchestrator}. */
export interface ModelOrchestratorOptions {
  /** Tenant configurations (providers with decrypted keys, routes, prices, bot settings). */
  configSource: ModelConfigSource;
  /**
   * The environment's providers and `default` route, merged under every tenant's configuration.
   * Default: the offline provider only (`environmentModelConfig({})`); `false` for none.
   */
  environment?: TenantModelConfig | false;
  /** Response cache storage (Redis or in-process); without it, routes' cache settings are ignored. */
  cache?: Cache;
  budgets?: BudgetStore;
  analytics?: AnalyticsSink;
  /** Builds providers (default: the official clients). */
  providerFactory?: ProviderFactory;
  /**
   * How providers a tenant configured reach their endpoints (SSRF rules: a tenant's base URL must
   * not reach loopback, private, link-local or metadata addresses). Default: a guarded client with
   * the strict policy (no allowlist). Pass the platform's
   * guarded client (tests allow loopback through it), or `"trusted"` when every configuration is
   * the operator's own (the CLI's `--config` file, benchmarks): the SDKs' own fetch then. The
   * environment's providers are the operator's: no address rules (the client's `operatorFetch`),
   * but the same response cap (`PARLEY_OUTBOUND_MAX_RESPONSE_BYTES`).
   */
  outbound?: ProviderOutbound | "trusted";
  /**
   * What a request for a route the tenant does not have gets: `fail` (default) rejects with
   * RouteNotFoundError; `default` answers through the bot's or tenant's default route instead (the
   * call record keeps the requested name), so flows from templates that name routes a tenant has
   * not created yet (`fast`, `smart`...) still answer. A missing default route still fails.
   */
  unknownRoutes?: "fail" | "default";
  now?: () => Date;
  random?: () => number;
}

/**
 * The model orchestrator: resolves a request's route for the tenant and bot, applies budgets, the
 * response cache and PII masking, then tries the route's models in the strategy's order with
 * per-attempt timeouts, retries that honour Retry-After, and a circuit breaker per model; streams
 * tokens through; and records every call (cost from the price table) as an analytics event.
 */
export class ModelOrchestrator {
  private readonly environment: TenantModelConfig | undefined;
  private readonly pool: ProviderPool;
  private readonly breakers = new BreakerRegistry();
  private readonly latency = new LatencyTracker();
  private readonly cache: ResponseCacheType | undefined;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly prepared = new WeakMap<TenantModelConfig, PreparedConfig>();
  /** The environment's provider configurations (by identity: merged configurations keep the objects). */
  private readonly operatorProviders: WeakSet<ProviderConfig>;
  private readonly outbound: ProviderOutbound | "trusted";

  constructor(private readonly options: ModelOrchestratorOptions) {
    this.environment =
      options.environment === false ? undefined : (options.environment ?? environmentModelConfig({}));
    this.pool = new ProviderPool(options.providerFactory ?? createProvider);
    this.operatorProviders = new WeakSet(this.environment?.providers ?? []);
    this.outbound = options.outbound ?? createGuardedHttpClient();
    this.cache = options.cache ? new ResponseCache(options.cache) : undefined;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
  }

  /**
   * Checks that a provider endpoint a tenant gives may be contacted under the SSRF rules this
   * orchestrator calls with (for validating it when it is saved; calls check again).
   * @throws OutboundHttpError `INVALID_URL`, `BLOCKED_DESTINATION` or `DNS_FAILED`
   */
  async checkProviderEndpoint(url: string): Promise<void> {
    if (this.outbound !== "trusted") await this.outbound.checkUrl(url);
  }

  /**
   * The provider of one configuration: a tenant's goes through the guarded fetch, the operator's
   * through the capped operator fetch (no address rules, same response cap).
   */
  private provider(tenantId: string, config: ProviderConfig) {
    const trusted = this.outbound === "trusted" || this.operatorProviders.has(config);
    return this.pool.get(tenantId, config, {
      trusted,
      // Both carry the response cap; only the tenant's goes through the address rules.
      fetch:
        this.outbound === "trusted" ? undefined : trusted ? this.outbound.operatorFetch : this.outbound.fetch,
    });
  }

  /** An engine {@link LlmPort} bound to one tenant, bot and conversation. */
  llmPort(context: CallContext): LlmPort {
    return { complete: (request, options) => this.complete(request, context, options) };
  }

  /** The merged configuration a tenant's calls use (tenant's own, completed with the environment's). */
  async configFor(tenantId: string): Promise<TenantModelConfig> {
    return (await this.preparedConfig(tenantId)).config;
  }

  /**
   * The tenant's configuration with what every call derives from it (price table, providers by
   * name), computed once per loaded configuration object: sources return the same object while
   * their cache holds, so the per-call work stays small.
   */
  private async preparedConfig(tenantId: string): Promise<PreparedConfig> {
    const tenant = await this.options.configSource.load(tenantId);
    const cached = this.prepared.get(tenant);
    if (cached) return cached;
    const config = this.environment ? withEnvironmentDefaults(tenant, this.environment) : tenant;
    const providers = new Map(config.providers.filter((p) => p.enabled).map((p) => [p.name, p]));
    const prepared: PreparedConfig = {
      config,
      prices: new PriceTable(config.prices),
      providers,
      providerKinds: new Map([...providers].map(([name, p]) => [name, p.kind])),
    };
    this.prepared.set(tenant, prepared);
    return prepared;
  }

  /** State of a model's circuit breaker. */
  breakerState(tenantId: string, provider: string, model: string): BreakerState {
    return this.breakers.stateOf(modelKey(tenantId, provider, model));
  }

  /** Moving-average latency of a model (ms), or undefined before its first success. */
  averageLatency(tenantId: string, provider: string, model: string): number | undefined {
    return this.latency.averageOf(modelKey(tenantId, provider, model));
  }

  /**
   * Sends one request through the routing layer. Rejects with RouteNotFoundError,
   * BudgetExceededError, AllModelsFailedError, StreamInterruptedError, or the signal's reason.
   */
  async complete(
    input: LlmRequest,
    context: CallContext,
    options: LlmCallOptions,
  ): Promise<OrchestratedResponse> {
    const request = llmRequestSchema.parse(input);
    const started = performance.now();
    const now = this.now();
    const prepared = await this.preparedConfig(context.tenantId);
    const requested = this.resolve(prepared.config, request.route, context.botId, context.unknownRoutes);
    const account = new CallAccount(request, context, requested.name, started, now, (events) =>
      this.emit(events),
    );
    const route = await applyBudgets(this.options.budgets, prepared.config, requested, context, account);
    const cacheKey =
      this.cache && route.policy.cache.enabled
        ? responseCacheKey(context.tenantId, route.name, request)
        : undefined;
    const cached = await cachedResponse(this.cache, cacheKey, request, options, account);
    if (cached) return cached;
    const deps: AttemptDeps = {
      providers: prepared.providers,
      providerKinds: prepared.providerKinds,
      prices: prepared.prices,
      provider: (config) => this.provider(context.tenantId, config),
      breakers: this.breakers,
      latency: this.latency,
      cache: this.cache,
      budgets: this.options.budgets,
      random: this.random,
    };
    const plan = planAttempts(request, options, context, route, deps, account);
    return runAttempts(request, options, context, route, plan, cacheKey, deps, account);
  }

  private resolve(
    config: TenantModelConfig,
    requested: string,
    botId: string | undefined,
    unknownRoutes = this.options.unknownRoutes,
  ): ResolvedRoute {
    try {
      return resolveRoute(config, requested, botId);
    } catch (error) {
      const fallBack =
        error instanceof RouteNotFoundError && unknownRoutes === "default" && requested !== "default";
      if (!fallBack) throw error;
      return resolveRoute(config, "default", botId);
    }
  }

  /** The tenant's embedding model when it has one its provider can serve (else undefined). */
  async embeddingSettings(tenantId: string): Promise<EmbeddingSettings | undefined> {
    const { config, providers } = await this.preparedConfig(tenantId);
    const settings = config.embeddings;
    const provider = settings ? providers.get(settings.provider) : undefined;
    if (!settings || !provider) return undefined;
    return this.provider(tenantId, provider).embed ? settings : undefined;
  }

  /**
   * Embeds `texts` with the tenant's embedding model (batched; each batch under the timeout), and
   * records one `llm.embedding` event with tokens and cost. Resolves undefined when the tenant has
   * no embedding model; rejects with a ProviderError when the provider fails.
   */
  async embed(
    texts: readonly string[],
    context: CallContext,
    options: { signal: AbortSignal; timeoutMs?: number },
  ): Promise<EmbeddedTexts | undefined> {
    const settings = await this.embeddingSettings(context.tenantId);
    if (!settings) return undefined;
    const { providers, prices } = await this.preparedConfig(context.tenantId);
    const provider = this.provider(context.tenantId, providers.get(settings.provider) as ProviderConfig);
    const embed = provider.embed?.bind(provider);
    if (!embed) return undefined;
    const now = this.now();
    const started = performance.now();
    const vectors: number[][] = [];
    let inputTokens = 0;
    let failure: unknown;
    try {
      for (let start = 0; start < texts.length; start += EMBEDDING_BATCH) {
        const batch = texts.slice(start, start + EMBEDDING_BATCH);
        const timeout = withTimeout(options.signal, options.timeoutMs ?? 30_000);
        try {
          const result = await embed(
            {
              model: settings.model,
              texts: [...batch],
              ...(settings.dimensions ? { dimensions: settings.dimensions } : {}),
            },
            { signal: timeout.signal },
          );
          vectors.push(...result.vectors);
          inputTokens += result.inputTokens ?? Math.ceil(batch.join(" ").length / 4);
        } catch (error) {
          throw timeout.timedOut()
            ? new ProviderError(
                "timeout",
                `${settings.provider}/${settings.model}: no embeddings within the timeout`,
              )
            : error;
        } finally {
          timeout.clear();
        }
      }
    } catch (error) {
      failure = error;
    }
    const cost = prices.costOf(provider, settings.model, { inputTokens, outputTokens: 0 });
    const budgetEvents =
      failure === undefined ? await chargeBudgets(this.options.budgets, context, cost.usd, now) : [];
    await this.emit([
      ...budgetEvents,
      {
        tenantId: context.tenantId,
        type: MODEL_EVENT_TYPES.embedding,
        ...(context.botId ? { botId: context.botId } : {}),
        ...(context.conversationId ? { conversationId: context.conversationId } : {}),
        properties: {
          provider: settings.provider,
          providerKind: provider.kind,
          model: settings.model,
          texts: texts.length,
          inputTokens,
          costUsd: cost.usd,
          priced: cost.priced,
          latencyMs: round(performance.now() - started),
          outcome: failure === undefined ? "ok" : options.signal.aborted ? "aborted" : "failed",
          ...(failure === undefined
            ? {}
            : { error: redactSecrets(failure instanceof Error ? failure.message : String(failure)) }),
        },
        occurredAt: now,
      },
    ]);
    if (failure !== undefined) throw failure;
    return {
      vectors,
      space: `${settings.provider}/${settings.model}${settings.dimensions ? `@${settings.dimensions}` : ""}`,
      settings,
    };
  }

  private async emit(events: AnalyticsEventInput[]): Promise<void> {
    if (!this.options.analytics || events.length === 0) return;
    try {
      await this.options.analytics.emit(events);
    } catch {
      // Accounting must never fail the conversation; the sink reports its own failures.
    }
  }
}

/** The route a request would use, for tools that show it (the studio's "try it", the CLI). */
export function describeRoute(
  config: TenantModelConfig,
  route: string | undefined,
  botId?: string,
): ResolvedRoute {
  return resolveRoute(config, route, botId);
}
