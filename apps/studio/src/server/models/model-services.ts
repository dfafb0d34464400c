import type { Database } from "@parley/db";
import type { Cache, GuardedHttpClient, SecretVault } from "@parley/infra";
import {
  createModelEnginePorts,
  environmentModelConfig,
  type KnowledgeBase,
  type ModelAdmin,
  type ModelEngineServices,
  type ModelOrchestrator,
} from "@parley/models";

/**
 * What the models and knowledge pages work with: the admin service (providers, routes, budgets,
 * prices; keys go through the vault), the orchestrator the "try it" box calls, and the knowledge
 * base. All of it is @parley/models' process-wide model layer; this only assembles it for the studio.
 */
export interface StudioModelServices {
  readonly vault: SecretVault;
  readonly admin: ModelAdmin;
  readonly orchestrator: ModelOrchestrator;
  readonly knowledge: KnowledgeBase;
  /** The llm and knowledge ports of one test-chat turn: the same answers the published bot gives. */
  readonly enginePorts: ModelEngineServices["enginePorts"];
}

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
  /** Variables the environment's default route is built from (default none: the offline provider). */
  environment?: Record<string, string | undefined>;
}

/**
 * The studio's view of a process's model layer (the one `createCoreDeps` composes): the same
 * orchestrator and knowledge base the runtime runs, and the admin service.
 */
export function studioModelServicesOf(models: ModelEngineServices, vault: SecretVault): StudioModelServices {
  return {
    vault,
    enginePorts: models.enginePorts,
    admin: models.admin(),
    orchestrator: models.orchestrator,
    knowledge: models.knowledgeBase,
  };
}

/**
 * Builds the studio's model services on the platform database (the same model layer the runtime
 * runs); tests use it, the studio process composes through `createCoreDeps`. Edits made through
 * `admin` invalidate the studio's cached configuration at once, so "try it" sees them immediately;
 * the runtime picks them up within its short cache time.
 */
export function createStudioModelServices(options: StudioModelServicesOptions): StudioModelServices {
  const models = createModelEnginePorts({
    db: options.db,
    vault: options.vault,
    environment: environmentModelConfig(options.environment ?? {}),
    ...(options.cache ? { cache: options.cache } : {}),
    ...(options.http ? { http: options.http } : {}),
  });
  return studioModelServicesOf(models, options.vault);
}
