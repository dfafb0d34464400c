import type { KnowledgeBase, ModelAdmin, ModelOrchestrator } from "@parley/models";
import type { CoreDeps } from "../context";
import { ServiceError } from "../errors";

/** The model layer's parts the model-settings and knowledge services work with (internal). */
export interface ModelParts {
  readonly admin: ModelAdmin;
  readonly orchestrator: ModelOrchestrator;
  readonly knowledge: KnowledgeBase;
}

const parts = new WeakMap<CoreDeps, ModelParts>();

/**
 * The process's model layer from `deps.models`, one admin per process (its changes invalidate the
 * process's cached configurations). Without a model layer the call is `unavailable` (internal).
 */
export function modelParts(deps: CoreDeps): ModelParts {
  const known = parts.get(deps);
  if (known) return known;
  const models = deps.models;
  if (!models)
    throw new ServiceError("unavailable", "models-unavailable", "this process has no model layer configured");
  const built = { admin: models.admin(), orchestrator: models.orchestrator, knowledge: models.knowledgeBase };
  parts.set(deps, built);
  return built;
}
