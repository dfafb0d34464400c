import type { ProviderFailure } from "../providers/provider-error";

/** How one attempt on one target ended. */
export type AttemptOutcome = "ok" | ProviderFailure | "skipped";

/** One try of one target during a call. */
export interface AttemptRecord {
  provider: string;
  model: string;
  /** 0 for the first target tried, 1 for the first fallback... */
  position: number;
  /** 1 for the first try of this target, 2 for its first retry... */
  try: number;
  outcome: AttemptOutcome;
  /** Why it failed or was skipped. */
  error?: string;
  latencyMs: number;
}

/** How a whole orchestrated call ended. */
export type CallOutcome = "ok" | "failed" | "blocked" | "interrupted" | "aborted";

/**
 * The accounting record of one orchestrated call (one `llm.call` analytics event). On a cache hit
 * provider/model are the ones that produced the cached answer and the cost is 0.
 */
export interface ModelCallRecord {
  tenantId: string;
  botId?: string;
  conversationId?: string;
  /** The route that was asked for, and the one used (they differ after a budget downgrade or override). */
  requestedRoute: string;
  route: string;
  provider?: string;
  /** Family of the provider that answered (`offline` when the offline provider did). */
  providerKind?: string;
  model?: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Whether the price table had a price for the model. */
  priced: boolean;
  latencyMs: number;
  /** Milliseconds until the first streamed token reached the caller. */
  timeToFirstTokenMs?: number;
  cacheHit: boolean;
  /** Position in the tried order of the target that answered (0 = the first choice). */
  fallbackPosition?: number;
  outcome: CallOutcome;
  error?: string;
  attempts: AttemptRecord[];
  piiMasked: number;
  budgetDowngraded: boolean;
}

/** An analytics event as the runtime stores it (the AnalyticsEvent table's shape). */
export interface AnalyticsEventInput {
  tenantId: string;
  type: string;
  botId?: string;
  conversationId?: string;
  properties: Record<string, unknown>;
  occurredAt: Date;
}

/** Analytics event types this package emits. */
export const MODEL_EVENT_TYPES = {
  call: "llm.call",
  /** One embedding request (knowledge passages at indexing, a question at retrieval). */
  embedding: "llm.embedding",
  budgetWarning: "llm.budget_warning",
  budgetExhausted: "llm.budget_exhausted",
} as const;

/**
 * Where analytics events go; the runtime provides it (batched inserts into analytics_events, or
 * Kafka). `emit` must not throw for the orchestrator's sake: failures are the sink's to log.
 */
export interface AnalyticsSink {
  emit(events: AnalyticsEventInput[]): Promise<void>;
}

/** A sink that keeps events in memory (tests, the CLI). */
export class MemoryAnalyticsSink implements AnalyticsSink {
  readonly events: AnalyticsEventInput[] = [];
  async emit(events: AnalyticsEventInput[]): Promise<void> {
    this.events.push(...events);
  }
  /** Events of one type. */
  ofType(type: string): AnalyticsEventInput[] {
    return this.events.filter((event) => event.type === type);
  }
}
