import type { TurnObserver } from "@parley/core";
import { Counter, type Registry } from "prom-client";

/** Distinct tenants that get their own label value; later ones are counted under `other`. */
export const MAX_TENANT_LABELS = 200;

/**
 * A tenant label with bounded cardinality: the opaque tenant id (never a name) for the first
 * {@link MAX_TENANT_LABELS} tenants this process saw, `other` after that, so a scrape cannot explode.
 */
export function boundedLabel(max = MAX_TENANT_LABELS): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= max) return "other";
    seen.add(value);
    return value;
  };
}

/**
 * Product counters per tenant (turns, handoffs, LLM calls and spend). Labels: tenant id (bounded) and,
 * for model calls, the provider family; never a conversation, contact or bot name.
 */
export function createProductMetrics(registry: Registry): Required<
  Pick<TurnObserver, "handoffRequested" | "llmCallRecorded">
> & {
  turn(tenantId: string): void;
} {
  const tenant = boundedLabel();
  const turns = new Counter({
    name: "parley_product_turns_total",
    help: "Turns completed per tenant",
    labelNames: ["tenant"],
    registers: [registry],
  });
  const handoffs = new Counter({
    name: "parley_product_handoffs_total",
    help: "Conversations handed to a human per tenant",
    labelNames: ["tenant"],
    registers: [registry],
  });
  const llmCalls = new Counter({
    name: "parley_product_llm_calls_total",
    help: "Model calls per tenant and provider (cache hits included)",
    labelNames: ["tenant", "provider", "cache"],
    registers: [registry],
  });
  const llmCost = new Counter({
    name: "parley_product_llm_cost_usd_total",
    help: "Model spend in USD per tenant and provider",
    labelNames: ["tenant", "provider"],
    registers: [registry],
  });
  const provider = boundedLabel(50);
  return {
    turn: (tenantId) => turns.inc({ tenant: tenant(tenantId) }),
    handoffRequested: ({ tenantId }) => handoffs.inc({ tenant: tenant(tenantId) }),
    llmCallRecorded: ({ tenantId, provider: name, costUsd, cacheHit }) => {
      const labels = { tenant: tenant(tenantId), provider: provider(name) };
      llmCalls.inc({ ...labels, cache: cacheHit ? "hit" : "miss" });
      if (costUsd > 0) llmCost.inc(labels, costUsd);
    },
  };
}
