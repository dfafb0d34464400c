import {
  modelPriceSchema,
  saveBotRoutingSchema,
  saveBudgetSchema,
  saveProviderSchema,
  saveRouteSchema,
  saveTenantRoutingSchema,
  tryPromptInputSchema,
} from "@parley/contract";
import {
  botModelStatus,
  deleteModelBudget,
  deleteModelPrice,
  deleteModelProvider,
  deleteModelRoute,
  getModelPrices,
  getModelRouting,
  listModelBudgets,
  listModelProviders,
  listModelRoutes,
  modelChoices,
  saveBotModelRouting,
  saveModelBudget,
  saveModelPrice,
  saveModelProvider,
  saveModelRoute,
  saveTenantModelRouting,
  tryModelPrompt,
} from "@parley/core";
import { z } from "zod";
import { serviceContext } from "../core-bridge";
import { idSchema, router, tenantProcedure } from "../trpc";

const ok = { ok: true } as const;

/**
 * The models page: providers and keys (write-only), routes, routing preferences, budgets, prices and
 * "try it", each a call of @parley/core's model settings (which authorize, check and audit; the
 * REST API's `/api/v1/model-*` call the same functions). Reading needs `bots:read`, editing
 * `models:manage`, trying a prompt `flows:write`.
 */
export const modelsRouter = router({
  providers: tenantProcedure("bots:read").query(({ ctx }) => listModelProviders(serviceContext(ctx))),
  saveProvider: tenantProcedure("models:manage")
    .input(saveProviderSchema)
    .mutation(({ ctx, input }) => saveModelProvider(serviceContext(ctx), input)),
  deleteProvider: tenantProcedure("models:manage")
    .input(z.object({ providerId: idSchema }))
    .mutation(({ ctx, input }) => deleteModelProvider(serviceContext(ctx), input.providerId).then(() => ok)),
  routes: tenantProcedure("bots:read").query(({ ctx }) => listModelRoutes(serviceContext(ctx))),
  choices: tenantProcedure("bots:read").query(({ ctx }) => modelChoices(serviceContext(ctx))),
  saveRoute: tenantProcedure("models:manage")
    .input(saveRouteSchema)
    .mutation(({ ctx, input }) => saveModelRoute(serviceContext(ctx), input)),
  deleteRoute: tenantProcedure("models:manage")
    .input(z.object({ routeId: idSchema }))
    .mutation(({ ctx, input }) => deleteModelRoute(serviceContext(ctx), input.routeId).then(() => ok)),
  routing: tenantProcedure("bots:read").query(({ ctx }) => getModelRouting(serviceContext(ctx))),
  saveTenantRouting: tenantProcedure("models:manage")
    .input(saveTenantRoutingSchema)
    .mutation(({ ctx, input }) => saveTenantModelRouting(serviceContext(ctx), input)),
  saveBotRouting: tenantProcedure("models:manage")
    .input(saveBotRoutingSchema.extend({ botId: idSchema }))
    .mutation(({ ctx, input: { botId, ...routing } }) =>
      saveBotModelRouting(serviceContext(ctx), botId, routing),
    ),
  /** Whether the bot (or one flow's draft) would answer visitors with the offline model. */
  botStatus: tenantProcedure("bots:read")
    .input(z.object({ botId: idSchema, flowId: idSchema.optional() }))
    .query(({ ctx, input }) =>
      botModelStatus(serviceContext(ctx), input.botId, input.flowId ? { flowId: input.flowId } : {}),
    ),
  prices: tenantProcedure("bots:read").query(({ ctx }) => getModelPrices(serviceContext(ctx))),
  savePrice: tenantProcedure("models:manage")
    .input(modelPriceSchema)
    .mutation(({ ctx, input }) => saveModelPrice(serviceContext(ctx), input)),
  deletePrice: tenantProcedure("models:manage")
    .input(z.object({ priceId: idSchema }))
    .mutation(({ ctx, input }) => deleteModelPrice(serviceContext(ctx), input.priceId).then(() => ok)),
  budgets: tenantProcedure("bots:read").query(({ ctx }) => listModelBudgets(serviceContext(ctx))),
  saveBudget: tenantProcedure("models:manage")
    .input(saveBudgetSchema)
    .mutation(({ ctx, input }) => saveModelBudget(serviceContext(ctx), input)),
  deleteBudget: tenantProcedure("models:manage")
    .input(z.object({ budgetId: idSchema }))
    .mutation(({ ctx, input }) => deleteModelBudget(serviceContext(ctx), input.budgetId).then(() => ok)),
  tryPrompt: tenantProcedure("flows:write")
    .input(tryPromptInputSchema)
    .mutation(({ ctx, input }) => tryModelPrompt(serviceContext(ctx), input)),
});
