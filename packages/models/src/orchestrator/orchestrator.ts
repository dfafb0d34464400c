import {
  type LlmCallOptions,
  type LlmPort,
  type LlmRequest,
  type LlmResponse,
  llmRequestSchema,
} from "@parley/engine";
import { type Cache, createGuardedHttpClient, type GuardedHttpClient } from "@parley/infra";
import type { Budget, BudgetStore } from "../accounting/budget";
import {
  type AnalyticsEventInput,
  type AnalyticsSink,
  type AttemptRecord,
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
import {
  AllModelsFailedError,
  BudgetExceededError,
  RouteNotFoundError,
  StreamInterruptedError,
} from "../errors";
import { PiiMasker } from "../privacy/pii-masker";
import { createProvider } from "../providers/create-provider";
import type { ProviderKind } from "../providers/provider";
import type { ProviderConfig } from "../providers/provider-config";
import { ProviderError } from "../providers/provider-error";
import { BreakerRegistry, type BreakerState, isBrokenCircuit, modelKey } from "../resilience/breakers";
import { backoffMs, delay, withTimeout } from "../resilience/delay";
import { LatencyTracker } from "../resilience/latency-tracker";
import { orderTargets } from "../routing/order-targets";
import { type ResolvedRoute, resolveRoute } from "../routing/resolve-route";
import type { RouteTarget } from "../routing/route-policy";
import { estimatePromptTokens, usageOrEstimate } from "./estimate";
import { type ProviderFactory, ProviderPool } from "./provider-pool";
import { validateAnswer } from "./validate-answer";

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
    const {
      config,
      prices,
      providers: providerConfigs,
      providerKinds,
    } = await this.preparedConfig(context.tenantId);
    let route = this.resolve(config, request.route, context.botId, context.unknownRoutes);
    const record: ModelCallRecord = {
      tenantId: context.tenantId,
      ...(context.botId ? { botId: context.botId } : {}),
      ...(context.conversationId ? { conversationId: context.conversationId } : {}),
      requestedRoute: request.route,
      route: route.name,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      priced: true,
      latencyMs: 0,
      cacheHit: false,
      outcome: "failed",
      attempts: [],
      piiMasked: 0,
      budgetDowngraded: false,
    };
    const finish = async (
      outcome: ModelCallRecord["outcome"],
      error?: unknown,
      extra: AnalyticsEventInput[] = [],
    ) => {
      record.outcome = outcome;
      record.latencyMs = round(performance.now() - started);
      if (error !== undefined)
        record.error = redactSecrets(error instanceof Error ? error.message : String(error));
      await this.emit([...extra, this.callEvent(record, now)]);
    };

    // Budgets: a spent cap blocks, or downgrades to a cheaper route.
    if (this.options.budgets) {
      const budgets = await this.options.budgets.applicable(context.tenantId, context.botId, now);
      const exhausted = budgets.find((budget) => budget.spentUsd >= budget.monthlyLimitUsd);
      if (exhausted) {
        const downgrade = exhausted.action === "downgrade" ? exhausted.downgradeRoute : undefined;
        if (downgrade && downgrade !== route.name) {
          route = resolveRoute(config, downgrade, undefined);
          record.route = route.name;
          record.budgetDowngraded = true;
        } else if (!downgrade) {
          const error = new BudgetExceededError(
            exhausted.botId ? "bot" : "tenant",
            exhausted.monthlyLimitUsd,
            exhausted.spentUsd,
          );
          await finish("blocked", error);
          throw error;
        }
      }
    }

    const policy = route.policy;
    const cacheKey =
      this.cache && policy.cache.enabled
        ? responseCacheKey(context.tenantId, route.name, request)
        : undefined;
    if (cacheKey && this.cache) {
      const hit = await this.cache.get(cacheKey);
      if (hit) {
        options.signal.throwIfAborted();
        if (options.onToken && !request.extract) options.onToken(hit.text);
        Object.assign(record, {
          provider: hit.provider,
          providerKind: hit.providerKind,
          model: hit.model,
          inputTokens: hit.usage.inputTokens,
          outputTokens: hit.usage.outputTokens,
          cacheHit: true,
          fallbackPosition: 0,
        });
        await finish("ok");
        return {
          text: hit.text,
          ...(hit.json ? { json: hit.json } : {}),
          model: `${hit.provider}/${hit.model}`,
          usage: hit.usage,
          record,
        };
      }
    }

    const masker = policy.pii.enabled
      ? new PiiMasker(new Set(policy.pii.kinds), [
          ...(context.knownNames ?? []),
          // Names the engine knows from the conversation's variables (LlmCallOptions.knownNames).
          ...(options.knownNames ?? []),
        ])
      : undefined;
    const messages = masker
      ? request.messages.map((message) => ({ ...message, content: masker.mask(message.content) }))
      : request.messages;
    record.piiMasked = masker?.maskedCount ?? 0;

    const promptTokens = estimatePromptTokens(messages);
    const answerTokens = request.maxTokens ?? 512;
    const { ordered, skipped } = orderTargets({
      policy,
      needs: {
        contextTokens: promptTokens + answerTokens,
        json: request.extract !== undefined,
        tools: policy.requires.tools,
        inputTokens: promptTokens,
        outputTokens: answerTokens,
      },
      preferredProviders: route.preferredProviders,
      providerKinds,
      prices,
      latency: this.latency,
      latencyKey: (target) => modelKey(context.tenantId, target.provider, target.model),
    });
    for (const skip of skipped) {
      record.attempts.push({
        provider: skip.target.provider,
        model: skip.target.model,
        position: -1,
        try: 0,
        outcome: "skipped",
        error: skip.reason,
        latencyMs: 0,
      });
    }

    // Streaming: tokens reach the caller (restored when masked) unless the answer must be JSON.
    const streamTo = request.extract ? undefined : options.onToken;
    let streamed = "";
    let firstTokenAt: number | undefined;
    const restorer = streamTo && masker ? masker.restoreStream(streamTo) : undefined;
    const forward = streamTo
      ? (token: string) => {
          if (firstTokenAt === undefined) firstTokenAt = performance.now();
          streamed += token;
          if (restorer) restorer.push(token);
          else streamTo(token);
        }
      : undefined;

    for (const [position, target] of ordered.entries()) {
      const providerConfig = providerConfigs.get(target.provider);
      if (!providerConfig) continue;
      const provider = this.provider(context.tenantId, providerConfig);
      const key = modelKey(context.tenantId, target.provider, target.model);
      const breaker = this.breakers.get(key, policy.breaker);
      for (let attemptNumber = 1; attemptNumber <= policy.retry.attempts; attemptNumber++) {
        const attemptStarted = performance.now();
        const attempt: AttemptRecord = {
          provider: target.provider,
          model: target.model,
          position,
          try: attemptNumber,
          outcome: "ok",
          latencyMs: 0,
        };
        record.attempts.push(attempt);
        const timeout = withTimeout(options.signal, target.timeoutMs ?? policy.timeoutMs);
        try {
          const result = await breaker.execute(async () => {
            try {
              return await provider.complete(
                {
                  model: target.model,
                  messages,
                  json: request.extract !== undefined,
                  ...(request.extract ? { extractFields: request.extract.fields } : {}),
                  ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
                  ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
                },
                { signal: timeout.signal, ...(forward ? { onToken: forward } : {}) },
              );
            } catch (error) {
              // A timeout surfaces from the client as an abort; the breaker must see it as a timeout.
              throw classify(target, error, timeout.timedOut());
            }
          });
          const json = validateAnswer(target.provider, request, result);
          attempt.latencyMs = round(performance.now() - attemptStarted);
          this.latency.observe(key, attempt.latencyMs);
          restorer?.flush();
          const text = masker ? masker.restore(result.text) : result.text;
          const restoredJson =
            json && masker ? (JSON.parse(masker.restore(JSON.stringify(json))) as typeof json) : json;
          const usage = usageOrEstimate(result.usage, messages, result.text);
          const cost = prices.costOf({ name: provider.name, kind: provider.kind }, target.model, usage);
          Object.assign(record, {
            provider: target.provider,
            providerKind: provider.kind,
            model: target.model,
            inputTokens: usage.inputTokens,
            outputTokens: usage.outputTokens,
            costUsd: cost.usd,
            priced: cost.priced,
            fallbackPosition: position,
            ...(firstTokenAt === undefined ? {} : { timeToFirstTokenMs: round(firstTokenAt - started) }),
          });
          if (cacheKey && this.cache) {
            await this.cache.set(
              cacheKey,
              {
                text,
                ...(restoredJson ? { json: restoredJson } : {}),
                provider: target.provider,
                providerKind: provider.kind,
                model: target.model,
                usage,
                cachedAt: now.toISOString(),
              },
              policy.cache.ttlSeconds,
            );
          }
          const budgetEvents = await this.chargeBudgets(context, cost.usd, now);
          await finish("ok", undefined, budgetEvents);
          return {
            text,
            ...(restoredJson ? { json: restoredJson } : {}),
            model: `${target.provider}/${target.model}`,
            usage,
            record,
          };
        } catch (caught) {
          attempt.latencyMs = round(performance.now() - attemptStarted);
          if (options.signal.aborted) {
            attempt.outcome = "aborted";
            await finish("aborted", options.signal.reason);
            throw options.signal.reason;
          }
          const error = classify(target, caught, timeout.timedOut());
          attempt.outcome = error.failure;
          attempt.error = redactSecrets(error.message);
          if (streamed !== "") {
            const partial = masker ? masker.restore(streamed) : streamed;
            const interrupted = new StreamInterruptedError(target.provider, target.model, partial, error);
            Object.assign(record, {
              provider: target.provider,
              model: target.model,
              fallbackPosition: position,
            });
            await finish("interrupted", interrupted);
            throw interrupted;
          }
          if (!error.retryable || attemptNumber >= policy.retry.attempts) break;
          const wait =
            error.details.retryAfterMs ??
            backoffMs(attemptNumber, policy.retry.baseDelayMs, policy.retry.maxDelayMs, this.random);
          // A long Retry-After means this model is out for a while: the next target answers sooner.
          if (wait > policy.retry.maxRetryAfterMs) break;
          try {
            await delay(wait, options.signal);
          } catch {
            await finish("aborted", options.signal.reason);
            throw options.signal.reason;
          }
        } finally {
          timeout.clear();
        }
      }
    }
    const failure = new AllModelsFailedError(route.name, record.attempts);
    await finish("failed", failure);
    throw failure;
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
    const budgetEvents = failure === undefined ? await this.chargeBudgets(context, cost.usd, now) : [];
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

  /** Adds a call's cost to the budgets; returns the warning events of budgets that just crossed their threshold. */
  private async chargeBudgets(context: CallContext, usd: number, now: Date): Promise<AnalyticsEventInput[]> {
    const store = this.options.budgets;
    if (!store || usd <= 0) return [];
    const updated = await store.addSpend(context.tenantId, context.botId, usd, now);
    const events: AnalyticsEventInput[] = [];
    for (const budget of updated) {
      const threshold = (budget.monthlyLimitUsd * budget.warnAtPercent) / 100;
      if (budget.spentUsd < threshold || budget.warnedAt) continue;
      if (!(await store.markWarned(budget, now))) continue;
      events.push(budgetEvent(budget, context, now));
    }
    return events;
  }

  private callEvent(record: ModelCallRecord, now: Date): AnalyticsEventInput {
    return {
      tenantId: record.tenantId,
      type: MODEL_EVENT_TYPES.call,
      ...(record.botId ? { botId: record.botId } : {}),
      ...(record.conversationId ? { conversationId: record.conversationId } : {}),
      properties: { ...record },
      occurredAt: now,
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

function budgetEvent(budget: Budget, context: CallContext, now: Date): AnalyticsEventInput {
  return {
    tenantId: budget.tenantId,
    type: MODEL_EVENT_TYPES.budgetWarning,
    ...(budget.botId ? { botId: budget.botId } : {}),
    ...(context.conversationId ? { conversationId: context.conversationId } : {}),
    properties: {
      budgetId: budget.id,
      scope: budget.botId ? "bot" : "tenant",
      limitUsd: budget.monthlyLimitUsd,
      spentUsd: budget.spentUsd,
      percent: Math.round((budget.spentUsd / budget.monthlyLimitUsd) * 1000) / 10,
      warnAtPercent: budget.warnAtPercent,
      periodStart: budget.periodStart,
    },
    occurredAt: now,
  };
}

function classify(target: RouteTarget, error: unknown, timedOut: boolean): ProviderError {
  const where = `${target.provider}/${target.model}`;
  if (timedOut)
    return new ProviderError("timeout", `${where}: no answer within the timeout`, { cause: error });
  if (isBrokenCircuit(error))
    return new ProviderError("circuit_open", `${where}: circuit open`, { cause: error });
  if (error instanceof ProviderError) return error;
  return new ProviderError("network", `${where}: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
  });
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** The route a request would use, for tools that show it (the studio's "try it", the CLI). */
export function describeRoute(
  config: TenantModelConfig,
  route: string | undefined,
  botId?: string,
): ResolvedRoute {
  return resolveRoute(config, route, botId);
}
