import type { GuardedFetch } from "@parley/infra";
import { createAnthropicProvider } from "./anthropic-provider";
import { createGoogleProvider } from "./google-provider";
import { createHuggingFaceProvider } from "./huggingface-provider";
import { createOfflineProvider } from "./offline-provider";
import { createOpenAiProvider } from "./openai-provider";
import type { ModelProvider } from "./provider";
import { type ProviderConfigInput, providerConfigSchema } from "./provider-config";

/** How a provider reaches its endpoint. */
export interface ProviderTransport {
  /**
   * The fetch its SDK client sends with: the platform's guarded fetch for a tenant's configuration
   * (SSRF rules and the response cap), its capped operator fetch for the operator's; absent, the
   * SDK's own.
   */
  fetch?: GuardedFetch;
}

/** Builds the provider for one configuration, through that family's official client. */
export function createProvider(input: ProviderConfigInput, transport: ProviderTransport = {}): ModelProvider {
  const config = providerConfigSchema.parse(input);
  const { name, apiKey, baseUrl, options } = config;
  const fetch = transport.fetch ? { fetch: transport.fetch } : {};
  switch (config.kind) {
    case "openai":
    case "openai_compatible":
    case "azure_openai":
      return createOpenAiProvider({
        name,
        kind: config.kind,
        ...fetch,
        ...(apiKey ? { apiKey } : {}),
        ...(baseUrl ? { baseUrl } : {}),
        ...(options.organization ? { organization: options.organization } : {}),
        ...(options.headers ? { headers: options.headers } : {}),
        ...(config.kind === "azure_openai"
          ? {
              azure: {
                apiVersion: options.apiVersion ?? "2024-10-21",
                ...(options.deployment ? { deployment: options.deployment } : {}),
              },
            }
          : {}),
      });
    case "anthropic":
      return createAnthropicProvider({
        name,
        ...fetch,
        ...(apiKey ? { apiKey } : {}),
        ...(baseUrl ? { baseUrl } : {}),
        ...(options.headers ? { headers: options.headers } : {}),
      });
    case "google":
      return createGoogleProvider({
        name,
        ...fetch,
        ...(apiKey ? { apiKey } : {}),
        ...(baseUrl ? { baseUrl } : {}),
        ...(options.headers ? { headers: options.headers } : {}),
      });
    case "huggingface":
      return createHuggingFaceProvider({
        name,
        ...fetch,
        ...(apiKey ? { accessToken: apiKey } : {}),
        ...(baseUrl ? { endpointUrl: baseUrl } : {}),
        ...(options.inferenceProvider ? { inferenceProvider: options.inferenceProvider } : {}),
      });
    case "offline":
      return createOfflineProvider({ name });
  }
}
