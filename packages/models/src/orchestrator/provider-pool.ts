import { createHash } from "node:crypto";
import type { ModelProvider } from "../providers/provider";
import type { ProviderConfig } from "../providers/provider-config";

/** Builds a provider from its configuration (the official-client factory, or a test double). */
export type ProviderFactory = (config: ProviderConfig) => ModelProvider;

/**
 * Keeps one provider (and so one SDK client with its connection pool) per tenant and configuration;
 * a changed key or URL makes a new one. Bounded: the oldest entries are dropped.
 */
export class ProviderPool {
  private readonly providers = new Map<string, ModelProvider>();

  constructor(
    private readonly factory: ProviderFactory,
    private readonly maxEntries = 2_000,
  ) {}

  private readonly fingerprints = new WeakMap<ProviderConfig, string>();

  get(tenantId: string, config: ProviderConfig): ModelProvider {
    // Hashing the configuration (key included) once per configuration object keeps calls cheap.
    let configHash = this.fingerprints.get(config);
    if (configHash === undefined) {
      configHash = createHash("sha256").update(JSON.stringify(config)).digest("base64url");
      this.fingerprints.set(config, configHash);
    }
    const fingerprint = `${tenantId}\u0000${configHash}`;
    let provider = this.providers.get(fingerprint);
    if (!provider) {
      provider = this.factory(config);
      if (this.providers.size >= this.maxEntries) {
        const oldest = this.providers.keys().next().value;
        if (oldest !== undefined) this.providers.delete(oldest);
      }
      this.providers.set(fingerprint, provider);
    }
    return provider;
  }
}
