import type { ProviderConfigInput } from "../providers/provider-config";
import type { RouteTarget } from "../routing/route-policy";
import type { TenantModelConfig } from "./tenant-model-config";
import { tenantModelConfigSchema } from "./tenant-model-config";

/** Name of the route built from the environment. */
export const ENVIRONMENT_ROUTE = "default";

/** The validated environment (`@parley/config`'s `modelProviderEnvShape`), or any record of variables. */
type Env = { readonly [name: string]: unknown };

function value(env: Env, ...names: string[]): string | undefined {
  for (const name of names) {
    const found = env[name];
    if (typeof found === "string" && found.trim()) return found.trim();
  }
  return undefined;
}

/**
 * Providers and the `default` route from environment variables (validated by the app: see
 * `@parley/config`'s `modelProviderEnvShape`), for the embedded demo and the CLI.
 * Tried in this order, each when its key (or base URL) is set:
 * - OpenAI: `OPENAI_API_KEY`, `OPENAI_BASE_URL` (any OpenAI-compatible server), model `PARLEY_OPENAI_MODEL`;
 * - Azure OpenAI: `AZURE_OPENAI_API_KEY` + `AZURE_OPENAI_ENDPOINT`, `OPENAI_API_VERSION`, deployment `PARLEY_AZURE_OPENAI_DEPLOYMENT`;
 * - Anthropic: `ANTHROPIC_API_KEY`, `ANTHROPIC_BASE_URL`, model `PARLEY_ANTHROPIC_MODEL`;
 * - Google: `GEMINI_API_KEY` or `GOOGLE_API_KEY`, `GOOGLE_GEMINI_BASE_URL`, model `PARLEY_GOOGLE_MODEL`;
 * - Hugging Face: `HF_TOKEN`, endpoint `HF_INFERENCE_ENDPOINT`, model `PARLEY_HF_MODEL`;
 * - then the offline provider, always last.
 * `PARLEY_EMBEDDING_MODEL` (with the OpenAI variables) names the knowledge base's embedding model.
 */
export function environmentModelConfig(env: Env): TenantModelConfig {
  const providers: ProviderConfigInput[] = [];
  const targets: Array<Pick<RouteTarget, "provider" | "model"> & Partial<RouteTarget>> = [];
  const add = (provider: ProviderConfigInput, model: string, extra: Partial<RouteTarget> = {}) => {
    providers.push(provider);
    targets.push({ provider: provider.name, model, ...extra });
  };

  const openAiKey = value(env, "OPENAI_API_KEY");
  const openAiBase = value(env, "OPENAI_BASE_URL");
  if (openAiKey || openAiBase) {
    add(
      {
        name: "openai",
        kind: openAiKey && !openAiBase ? "openai" : "openai_compatible",
        ...(openAiKey ? { apiKey: openAiKey } : {}),
        ...(openAiBase ? { baseUrl: openAiBase } : {}),
      },
      value(env, "PARLEY_OPENAI_MODEL") ?? "gpt-4o-mini",
      { contextTokens: 128_000 },
    );
  }
  const azureKey = value(env, "AZURE_OPENAI_API_KEY");
  const azureEndpoint = value(env, "AZURE_OPENAI_ENDPOINT");
  if (azureKey && azureEndpoint) {
    const deployment = value(env, "PARLEY_AZURE_OPENAI_DEPLOYMENT") ?? "gpt-4o-mini";
    add(
      {
        name: "azure-openai",
        kind: "azure_openai",
        apiKey: azureKey,
        baseUrl: azureEndpoint,
        options: { apiVersion: value(env, "OPENAI_API_VERSION") ?? "2024-10-21" },
      },
      deployment,
      { contextTokens: 128_000 },
    );
  }
  const anthropicKey = value(env, "ANTHROPIC_API_KEY");
  if (anthropicKey) {
    const baseUrl = value(env, "ANTHROPIC_BASE_URL");
    add(
      { name: "anthropic", kind: "anthropic", apiKey: anthropicKey, ...(baseUrl ? { baseUrl } : {}) },
      value(env, "PARLEY_ANTHROPIC_MODEL") ?? "claude-3-5-haiku-latest",
      { contextTokens: 200_000 },
    );
  }
  const googleKey = value(env, "GEMINI_API_KEY", "GOOGLE_API_KEY");
  if (googleKey) {
    const baseUrl = value(env, "GOOGLE_GEMINI_BASE_URL");
    add(
      { name: "google", kind: "google", apiKey: googleKey, ...(baseUrl ? { baseUrl } : {}) },
      value(env, "PARLEY_GOOGLE_MODEL") ?? "gemini-2.0-flash",
      { contextTokens: 1_000_000 },
    );
  }
  const hfToken = value(env, "HF_TOKEN");
  const hfEndpoint = value(env, "HF_INFERENCE_ENDPOINT");
  if (hfToken || hfEndpoint) {
    add(
      {
        name: "huggingface",
        kind: "huggingface",
        ...(hfToken ? { apiKey: hfToken } : {}),
        ...(hfEndpoint ? { baseUrl: hfEndpoint } : {}),
      },
      value(env, "PARLEY_HF_MODEL") ?? "meta-llama/Llama-3.1-8B-Instruct",
      { contextTokens: 8_192 },
    );
  }
  add({ name: "offline", kind: "offline" }, "offline", { contextTokens: 1_000_000 });

  const embeddingModel = value(env, "PARLEY_EMBEDDING_MODEL");
  return tenantModelConfigSchema.parse({
    providers,
    routes: { [ENVIRONMENT_ROUTE]: { strategy: "fallback", targets, timeoutMs: 60_000 } },
    defaultRoute: ENVIRONMENT_ROUTE,
    ...(embeddingModel && (openAiKey || openAiBase)
      ? { embeddings: { provider: "openai", model: embeddingModel } }
      : {}),
  });
}

/**
 * A tenant's configuration completed with the environment's: the tenant's providers and routes
 * win on name clashes, and the environment's `default` route (with its providers) is available
 * when the tenant defines none.
 */
export function withEnvironmentDefaults(
  tenant: TenantModelConfig,
  environment: TenantModelConfig,
): TenantModelConfig {
  const providerNames = new Set(tenant.providers.map((provider) => provider.name));
  return {
    ...tenant,
    providers: [
      ...tenant.providers,
      ...environment.providers.filter((provider) => !providerNames.has(provider.name)),
    ],
    routes: { ...environment.routes, ...tenant.routes },
    defaultRoute:
      tenant.defaultRoute ??
      (tenant.routes[ENVIRONMENT_ROUTE] ? ENVIRONMENT_ROUTE : environment.defaultRoute),
    ...(tenant.embeddings || environment.embeddings
      ? { embeddings: tenant.embeddings ?? environment.embeddings }
      : {}),
  };
}
