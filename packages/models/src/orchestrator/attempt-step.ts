import type { LlmCallOptions, LlmMessage, LlmRequest } from "@parley/engine";
import type { BudgetStore } from "../accounting/budget";
import type { AttemptRecord } from "../accounting/call-record";
import type { PriceTable } from "../accounting/price-table";
import { redactSecrets } from "../accounting/redact";
import type { ResponseCache } from "../cache/response-cache";
import { AllModelsFailedError, StreamInterruptedError } from "../errors";
import { PiiMasker } from "../privacy/pii-masker";
import type { ModelProvider, ProviderKind } from "../providers/provider";
import type { ProviderConfig } from "../providers/provider-config";
import { ProviderError } from "../providers/provider-error";
import { type BreakerRegistry, isBrokenCircuit, modelKey } from "../resilience/breakers";
import { backoffMs, delay, withTimeout } from "../resilience/delay";
import type { LatencyTracker } from "../resilience/latency-tracker";
import { orderTargets } from "../routing/order-targets";
import type { ResolvedRoute } from "../routing/resolve-route";
import type { RouteTarget } from "../routing/route-policy";
import { type CallAccount, chargeBudgets, round } from "./call-account";
import { estimatePromptTokens, usageOrEstimate } from "./estimate";
import type { CallContext, OrchestratedResponse } from "./orchestrator";
import { validateAnswer } from "./validate-answer";

/** What the attempts of one call run with: the process's parts and the tenant's configuration (internal). */
export interface AttemptDeps {
  providers: ReadonlyMap<string, ProviderConfig>;
  providerKinds: ReadonlyMap<string, ProviderKind>;
  prices: PriceTable;
  provider(config: ProviderConfig): ModelProvider;
  breakers: BreakerRegistry;
  latency: LatencyTracker;
  cache: ResponseCache | undefined;
  budgets: BudgetStore | undefined;
  random: () => number;
}

/** The messages a call sends (masked when the route masks PII) and the targets in the order to try. */
export interface AttemptPlan {
  messages: LlmMessage[];
  masker: PiiMasker | undefined;
  ordered: RouteTarget[];
}

/**
 * Masks personal data when the route asks for it, and orders the route's targets by its strategy,
 * skipping those that cannot meet the call's needs (recorded as `skipped` attempts) (internal).
 */
export function planAttempts(
  request: LlmRequest,
  options: LlmCallOptions,
  context: CallContext,
  route: ResolvedRoute,
  deps: AttemptDeps,
  account: CallAccount,
): AttemptPlan {
  const policy = route.policy;
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
  account.record.piiMasked = masker?.maskedCount ?? 0;

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
    providerKinds: deps.providerKinds,
    prices: deps.prices,
    latency: deps.latency,
    latencyKey: (target) => modelKey(context.tenantId, target.provider, target.model),
  });
  for (const skip of skipped) {
    account.record.attempts.push({
      provider: skip.target.provider,
      model: skip.target.model,
      position: -1,
      try: 0,
      outcome: "skipped",
      error: skip.reason,
      latencyMs: 0,
    });
  }
  return { messages, masker, ordered };
}

/** Tokens forwarded to a streaming caller (restored when masked), and what was streamed so far. */
function streamForwarder(request: LlmRequest, options: LlmCallOptions, masker: PiiMasker | undefined) {
  // Streaming: tokens reach the caller (restored when masked) unless the answer must be JSON.
  const streamTo = request.extract ? undefined : options.onToken;
  const state = { streamed: "", firstTokenAt: undefined as number | undefined };
  const restorer = streamTo && masker ? masker.restoreStream(streamTo) : undefined;
  const forward = streamTo
    ? (token: string) => {
        if (state.firstTokenAt === undefined) state.firstTokenAt = performance.now();
        state.streamed += token;
        if (restorer) restorer.push(token);
        else streamTo(token);
      }
    : undefined;
  return { state, restorer, forward };
}

/**
 * Tries the planned targets in order, each with its retries (backoff or Retry-After), timeout and
 * circuit breaker. The first answer is validated, restored (PII), priced, cached, charged to the
 * budgets and returned; a stream cut after tokens were forwarded is StreamInterruptedError; an
 * abort ends the call; when every target failed, AllModelsFailedError lists the attempts (internal).
 */
export async function runAttempts(
  request: LlmRequest,
  options: LlmCallOptions,
  context: CallContext,
  route: ResolvedRoute,
  plan: AttemptPlan,
  cacheKey: string | undefined,
  deps: AttemptDeps,
  account: CallAccount,
): Promise<OrchestratedResponse> {
  const { record } = account;
  const policy = route.policy;
  const { messages, masker } = plan;
  const stream = streamForwarder(request, options, masker);
  for (const [position, target] of plan.ordered.entries()) {
    const providerConfig = deps.providers.get(target.provider);
    if (!providerConfig) continue;
    const provider = deps.provider(providerConfig);
    const key = modelKey(context.tenantId, target.provider, target.model);
    const breaker = deps.breakers.get(key, policy.breaker);
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
              { signal: timeout.signal, ...(stream.forward ? { onToken: stream.forward } : {}) },
            );
          } catch (error) {
            // A timeout surfaces from the client as an abort; the breaker must see it as a timeout.
            throw classify(target, error, timeout.timedOut());
          }
        });
        const json = validateAnswer(target.provider, request, result);
        attempt.latencyMs = round(performance.now() - attemptStarted);
        deps.latency.observe(key, attempt.latencyMs);
        stream.restorer?.flush();
        const text = masker ? masker.restore(result.text) : result.text;
        const restoredJson =
          json && masker ? (JSON.parse(masker.restore(JSON.stringify(json))) as typeof json) : json;
        const usage = usageOrEstimate(result.usage, messages, result.text);
        const cost = deps.prices.costOf({ name: provider.name, kind: provider.kind }, target.model, usage);
        const firstTokenAt = stream.state.firstTokenAt;
        Object.assign(record, {
          provider: target.provider,
          providerKind: provider.kind,
          model: target.model,
          inputTokens: usage.inputTokens,
          outputTokens: usage.outputTokens,
          costUsd: cost.usd,
          priced: cost.priced,
          fallbackPosition: position,
          ...(firstTokenAt === undefined
            ? {}
            : { timeToFirstTokenMs: round(firstTokenAt - account.started) }),
        });
        if (cacheKey && deps.cache) {
          await deps.cache.set(
            cacheKey,
            {
              text,
              ...(restoredJson ? { json: restoredJson } : {}),
              provider: target.provider,
              providerKind: provider.kind,
              model: target.model,
              usage,
              cachedAt: account.now.toISOString(),
            },
            policy.cache.ttlSeconds,
          );
        }
        const budgetEvents = await chargeBudgets(deps.budgets, context, cost.usd, account.now);
        await account.finish("ok", undefined, budgetEvents);
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
          await account.finish("aborted", options.signal.reason);
          throw options.signal.reason;
        }
        const error = classify(target, caught, timeout.timedOut());
        attempt.outcome = error.failure;
        attempt.error = redactSecrets(error.message);
        if (stream.state.streamed !== "") {
          const partial = masker ? masker.restore(stream.state.streamed) : stream.state.streamed;
          const interrupted = new StreamInterruptedError(target.provider, target.model, partial, error);
          Object.assign(record, {
            provider: target.provider,
            model: target.model,
            fallbackPosition: position,
          });
          await account.finish("interrupted", interrupted);
          throw interrupted;
        }
        if (!error.retryable || attemptNumber >= policy.retry.attempts) break;
        const wait =
          error.details.retryAfterMs ??
          backoffMs(attemptNumber, policy.retry.baseDelayMs, policy.retry.maxDelayMs, deps.random);
        // A long Retry-After means this model is out for a while: the next target answers sooner.
        if (wait > policy.retry.maxRetryAfterMs) break;
        try {
          await delay(wait, options.signal);
        } catch {
          await account.finish("aborted", options.signal.reason);
          throw options.signal.reason;
        }
      } finally {
        timeout.clear();
      }
    }
  }
  const failure = new AllModelsFailedError(route.name, record.attempts);
  await account.finish("failed", failure);
  throw failure;
}

/** A provider failure as the breaker and the record see it: timeout, open circuit, or the provider's error. */
export function classify(target: RouteTarget, error: unknown, timedOut: boolean): ProviderError {
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
