import { createHash } from "node:crypto";
import type { ProviderTransport } from "../providers/create-provider";
import type { ModelProvider } from "../providers/provider";
import type { ProviderConfig } from "../providers/provider-config";

/**
 * Builds a provider from its configuration (the official-client factory, or a test double); the
 * transport says how it reaches its endpoint (the guarded fetch for a tenant's configuration).
 */
export type ProviderFactory = (config: ProviderConfig, transport: ProviderTransport) => ModelProvider;

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

  /**
   * The provider of `config` for `tenantId`, sending with `transport.fetch` (the guarded fetch for a
   * tenant's configuration, the capped operator fetch for the operator's; absent, the SDK's own).
   * Trust is part of the key, so a tenant's configuration never reuses an operator's client.
   */
  get(
    tenantId: string,
    config: ProviderConfig,
    transport: { trusted: boolean; fetch: ProviderTransport["fetch"] },
  ): ModelProvider {
    // Hashing the configuration (key included) once per configuration object keeps calls cheap.
    let configHash = this.fingerprints.get(config);
    if (configHash === undefined) {
      configHash = createHash("sha256").update(JSON.stringify(config)).digest("base64url");
      this.fingerprints.set(config, configHash);
    }
    const fingerprint = `${tenantId}\u0000${transport.trusted ? "operator" : "tenant"}\u0000${configHash}`;
    let provider = this.providers.get(fingerprint);
    if (!provider) {
      provider = this.factory(config, transport.fetch ? { fetch: transport.fetch } : {});
      if (this.providers.size >= this.maxEntries) {
        const oldest = this.providers.keys().next().value;
        if (oldest !== undefined) this.providers.delete(oldest);
      }
      this.providers.set(fingerprint, provider);
    }
    return provider;
  }
}
