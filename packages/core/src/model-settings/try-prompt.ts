import { type TryPromptInput, tryPromptInputSchema } from "@parley/contract";
import type { TryPromptResult } from "@parley/models";
import { loadBot } from "../bots/bots";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { parseInput } from "../errors";
import { existingRoute } from "./model-checks";
import { withModelErrors } from "./model-errors";
import { modelParts } from "./model-services";

/**
 * Sends one prompt through the routing layer (budgets, cache, fallbacks and accounting apply as for
 * a bot's calls) and says which provider and model answered, tokens, cost, latency and the
 * fallbacks tried. It spends the tenant's model budget with its real keys, so it needs `flows:write`
 * (editors and above), like the test chat. A route named on purpose that does not exist is an
 * error, never the default route.
 */
export async function tryModelPrompt(ctx: ServiceContext, input: TryPromptInput): Promise<TryPromptResult> {
  authorize(ctx, "flows:write");
  const data = parseInput(tryPromptInputSchema, input, "prompt");
  if (data.botId) await loadBot(ctx, data.botId);
  return withModelErrors("model-route", () => modelParts(ctx.deps).admin.tryPrompt(ctx.tenantId, data));
}

/** {@link tryModelPrompt} through the route with id `routeId` (REST `POST /api/v1/model-routes/{routeId}/try`). */
export async function tryModelRoute(
  ctx: ServiceContext,
  routeId: string,
  input: Omit<TryPromptInput, "route">,
): Promise<TryPromptResult> {
  authorize(ctx, "flows:write");
  const route = await existingRoute(tenantDb(ctx), routeId);
  return tryModelPrompt(ctx, { ...input, route: route.name });
}
