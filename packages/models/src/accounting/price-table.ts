import { type ModelPrice, modelPriceSchema } from "@parley/contract";
import type { TokenUsage } from "../providers/provider";

/** The price of one provider/model, in USD per million tokens (the tenant's editable price table). */
export { type ModelPrice, modelPriceSchema } from "@parley/contract";

/**
 * List prices the platform starts from (USD per million tokens). Tenants override any of them in
 * their price table; models absent from both cost 0 and are reported as unpriced.
 */
export const DEFAULT_PRICES: readonly ModelPrice[] = [
  { provider: "openai", model: "gpt-4o-mini", inputPerMillion: 0.15, outputPerMillion: 0.6 },
  { provider: "openai", model: "gpt-4o", inputPerMillion: 2.5, outputPerMillion: 10 },
  { provider: "openai", model: "gpt-4.1-mini", inputPerMillion: 0.4, outputPerMillion: 1.6 },
  { provider: "openai", model: "gpt-4.1", inputPerMillion: 2, outputPerMillion: 8 },
  { provider: "anthropic", model: "claude-3-5-haiku-latest", inputPerMillion: 0.8, outputPerMillion: 4 },
  { provider: "anthropic", model: "claude-sonnet-4-5", inputPerMillion: 3, outputPerMillion: 15 },
  { provider: "google", model: "gemini-2.0-flash", inputPerMillion: 0.1, outputPerMillion: 0.4 },
  { provider: "google", model: "gemini-2.5-flash", inputPerMillion: 0.3, outputPerMillion: 2.5 },
  { provider: "offline", model: "offline", inputPerMillion: 0, outputPerMillion: 0 },
];

/** Cost of one call. */
export interface CallCost {
  usd: number;
  /** Whether a price was found (an unpriced model is reported as costing 0). */
  priced: boolean;
}

/** Looks up prices: the tenant's entries first, then the defaults; by provider name, then kind, then `*`. */
export class PriceTable {
  private readonly byKey = new Map<string, ModelPrice>();

  constructor(tenantPrices: readonly ModelPrice[] = [], defaults: readonly ModelPrice[] = DEFAULT_PRICES) {
    for (const price of [...defaults, ...tenantPrices.map((p) => modelPriceSchema.parse(p))]) {
      this.byKey.set(`${price.provider}\u0000${price.model}`, price);
    }
  }

  /** The price for a model of a provider (looked up by the provider's name, then its kind). */
  priceOf(provider: { name: string; kind: string }, model: string): ModelPrice | undefined {
    return (
      this.byKey.get(`${provider.name}\u0000${model}`) ??
      this.byKey.get(`${provider.kind}\u0000${model}`) ??
      this.byKey.get(`*\u0000${model}`)
    );
  }

  /** What `usage` costs on that model. */
  costOf(provider: { name: string; kind: string }, model: string, usage: TokenUsage): CallCost {
    const price = this.priceOf(provider, model);
    if (!price) return { usd: 0, priced: false };
    const usd =
      (usage.inputTokens * price.inputPerMillion + usage.outputTokens * price.outputPerMillion) / 1e6;
    // Round away float noise only (1e-12 USD); budgets add these up.
    return { usd: Math.round(usd * 1e12) / 1e12, priced: true };
  }
}
