import type { LlmRequest } from "@parley/engine";
import type { Budget, BudgetStore } from "../accounting/budget";
import { type AnalyticsEventInput, MODEL_EVENT_TYPES, type ModelCallRecord } from "../accounting/call-record";
import { redactSecrets } from "../accounting/redact";
import type { CallContext } from "./orchestrator";

/** Milliseconds rounded to microseconds (internal). */
export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/**
 * The accounting of one orchestrated call: the record every step fills in, and `finish`, which
 * stamps the outcome and latency and emits the call event (with any budget events) (internal).
 */
export class CallAccount {
  readonly record: ModelCallRecord;

  constructor(
    request: LlmRequest,
    context: CallContext,
    route: string,
    /** When the call began (`performance.now()`), for its latency and time to first token. */
    readonly started: number,
    readonly now: Date,
    private readonly emit: (events: AnalyticsEventInput[]) => Promise<void>,
  ) {
    this.record = {
      tenantId: context.tenantId,
      ...(context.botId ? { botId: context.botId } : {}),
      ...(context.conversationId ? { conversationId: context.conversationId } : {}),
      requestedRoute: request.route,
      route,
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
  }

  /** Ends the call: outcome, latency, the error (secrets redacted), then the events. */
  async finish(outcome: ModelCallRecord["outcome"], error?: unknown, extra: AnalyticsEventInput[] = []) {
    this.record.outcome = outcome;
    this.record.latencyMs = round(performance.now() - this.started);
    if (error !== undefined)
      this.record.error = redactSecrets(error instanceof Error ? error.message : String(error));
    await this.emit([...extra, callEvent(this.record, this.now)]);
  }
}

/**
 * The analytics event of a finished call. Its properties are the record without what the event's
 * columns already hold (tenant, bot, conversation) and without `attempts` when there was at most one
 * try and it answered (provider and model are then the record's own): a call record is one of the
 * largest rows a turn writes, and this halves it (issue 19, storage per message).
 */
function callEvent(record: ModelCallRecord, now: Date): AnalyticsEventInput {
  const { tenantId, botId, conversationId, attempts, ...rest } = record;
  const plain = attempts.length === 0 || (attempts.length === 1 && attempts[0]?.outcome === "ok");
  return {
    tenantId,
    type: MODEL_EVENT_TYPES.call,
    ...(botId ? { botId } : {}),
    ...(conversationId ? { conversationId } : {}),
    properties: plain ? rest : { ...rest, attempts },
    occurredAt: now,
  };
}

/** Adds a call's cost to the budgets; returns the warning events of budgets that just crossed their threshold. */
export async function chargeBudgets(
  store: BudgetStore | undefined,
  context: CallContext,
  usd: number,
  now: Date,
): Promise<AnalyticsEventInput[]> {
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
