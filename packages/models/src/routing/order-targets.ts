import type { PriceTable } from "../accounting/price-table";
import type { ProviderKind } from "../providers/provider";
import type { LatencyTracker } from "../resilience/latency-tracker";
import type { RoutePolicy, RouteTarget } from "./route-policy";

/** What a call needs from a model. */
export interface CallNeeds {
  /** Estimated prompt tokens plus the answer budget. */
  contextTokens: number;
  json: boolean;
  tools: boolean;
  /** Estimated prompt and answer tokens, for pricing. */
  inputTokens: number;
  outputTokens: number;
}

/** A target that cannot serve the call, and why. */
export interface SkippedTarget {
  target: RouteTarget;
  reason: string;
}

/** Inputs of {@link orderTargets}. */
export interface OrderTargetsInput {
  policy: RoutePolicy;
  needs: CallNeeds;
  preferredProviders: readonly string[];
  /** Kind of each configured provider (by name); targets naming an unknown provider are skipped. */
  providerKinds: ReadonlyMap<string, ProviderKind>;
  prices: PriceTable;
  latency: LatencyTracker;
  latencyKey: (target: RouteTarget) => string;
}

function unmetNeed(target: RouteTarget, needs: CallNeeds): string | undefined {
  if (needs.contextTokens > target.contextTokens) {
    return `needs ~${needs.contextTokens} tokens of context, model has ${target.contextTokens}`;
  }
  if (needs.json && !target.json) return "cannot answer in JSON mode";
  if (needs.tools && !target.tools) return "cannot call tools";
  return undefined;
}

/**
 * The order a call tries a route's targets in: targets that cannot meet the call's needs (or whose
 * provider is not configured) are skipped; the rest are ordered by the strategy, then the preferred
 * providers' targets are moved to the front in the order the providers are preferred (keeping the
 * strategy's order among one provider's targets).
 */
export function orderTargets(input: OrderTargetsInput): { ordered: RouteTarget[]; skipped: SkippedTarget[] } {
  const { policy, needs } = input;
  const skipped: SkippedTarget[] = [];
  const eligible: RouteTarget[] = [];
  for (const target of policy.targets) {
    if (!input.providerKinds.has(target.provider)) {
      skipped.push({ target, reason: `provider "${target.provider}" is not configured` });
      continue;
    }
    const unmet = unmetNeed(target, needs);
    if (unmet) skipped.push({ target, reason: unmet });
    else eligible.push(target);
  }
  let ordered = eligible;
  if (policy.strategy === "cost") {
    const costOf = (target: RouteTarget) => {
      const kind = input.providerKinds.get(target.provider) ?? "offline";
      const price = input.prices.priceOf({ name: target.provider, kind }, target.model);
      if (!price) return Number.POSITIVE_INFINITY;
      return needs.inputTokens * price.inputPerMillion + needs.outputTokens * price.outputPerMillion;
    };
    ordered = stableSortBy(eligible, costOf);
  } else if (policy.strategy === "latency") {
    // Models never observed go first, so each gets measured once.
    ordered = stableSortBy(eligible, (target) => input.latency.averageOf(input.latencyKey(target)) ?? -1);
  }
  if (input.preferredProviders.length > 0) {
    // The first preferred provider's targets, then the second's..., then the rest; the strategy's
    // order holds among targets of the same provider and among the rest.
    const rank = new Map<string, number>();
    input.preferredProviders.forEach((name, index) => {
      if (!rank.has(name)) rank.set(name, index);
    });
    ordered = stableSortBy(ordered, (target) => rank.get(target.provider) ?? input.preferredProviders.length);
  }
  return { ordered, skipped };
}

function stableSortBy<T>(items: readonly T[], key: (item: T) => number): T[] {
  return items
    .map((item, index) => ({ item, index, key: key(item) }))
    .sort((a, b) => a.key - b.key || a.index - b.index)
    .map((entry) => entry.item);
}
