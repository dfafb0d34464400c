import type { Database } from "@parley/db";
import type { Cache, GuardedHttpClient, SecretVault } from "@parley/infra";
import { createModelEnginePorts, environmentModelConfig, type ModelEngineServices } from "@parley/models";

/** Options of {@link createStudioModelServices}. */
export interface StudioModelServicesOptions {
  db: Database;
  vault: SecretVault;
  /** The response cache's storage (Redis or in-process), shared with the runtime in cluster mode. */
  cache?: Cache;
  /**
   * The guarded (SSRF-safe) HTTP client: URL lists are fetched with it, providers a tenant
   * configured are reached through it, and base URLs are checked against its rules when saved.
   */
  http?: GuardedHttpClient;
  /** Variables the environment's default route is built from (default `process.env`). */
  environment?: Record<string, string | undefined>;
}

/**
 * Builds the studio's model layer on the platform database (the same one the runtime runs), for
 * `CoreDeps.models` and `CoreDeps.enginePorts`. Edits made through core's model settings invalidate
 * the studio's cached configuration at once, so "try it" sees them immediately; the runtime picks
 * them up within its short cache time.
 */
export function createStudioModelServices(options: StudioModelServicesOptions): ModelEngineServices {
  return createModelEnginePorts({
    db: options.db,
    vault: options.vault,
    environment: environmentModelConfig(options.environment ?? process.env),
    ...(options.cache ? { cache: options.cache } : {}),
    ...(options.http ? { http: options.http } : {}),
  });
}
