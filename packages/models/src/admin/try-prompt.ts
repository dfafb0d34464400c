import { z } from "zod";
import type { AdminContext } from "./admin-context";
import type { TryPromptResult } from "./model-admin";
import { ModelAdminError } from "./model-admin-error";

/** "Try it": one prompt through the routing layer (internal to ModelAdmin). */

/** Sends one prompt through the routing layer, for the studio's "try it" box. */
export async function tryPrompt(
  admin: AdminContext,
  tenantId: string,
  input: { prompt: string; route?: string; botId?: string },
  signal: AbortSignal = AbortSignal.timeout(60_000),
): Promise<TryPromptResult> {
  const orchestrator = admin.options.orchestrator;
  if (!orchestrator) throw new ModelAdminError("no orchestrator is configured for trying prompts");
  const response = await orchestrator.complete(
    {
      route: input.route ?? "default",
      messages: [{ role: "user", content: z.string().min(1).parse(input.prompt) }],
    },
    // A route named on purpose that does not exist is an error to show, not a reason to answer
    // through the default route (which bots' llm nodes get).
    { tenantId, unknownRoutes: "fail", ...(input.botId ? { botId: input.botId } : {}) },
    { signal },
  );
  const { record } = response;
  return {
    text: response.text,
    ...(record.provider ? { provider: record.provider } : {}),
    ...(record.model ? { model: record.model } : {}),
    requestedRoute: record.requestedRoute,
    route: record.route,
    inputTokens: record.inputTokens,
    outputTokens: record.outputTokens,
    costUsd: record.costUsd,
    latencyMs: record.latencyMs,
    cacheHit: record.cacheHit,
    attempts: record.attempts,
  };
}
