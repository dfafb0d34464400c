import {
  createIntegrationRequestSchema,
  integrationTestInputSchema,
  oauthCallbackInputSchema,
  updateIntegrationInputSchema,
} from "@parley/contract";
import {
  completeOAuthConnect,
  createIntegration,
  deleteIntegration,
  getIntegration,
  integrationUsage,
  listIntegrations,
  startOAuthConnect,
  testIntegration,
  updateIntegration,
} from "@parley/core";
import { z } from "zod";
import { serviceContext } from "../core-bridge";
import { idSchema, router, tenantProcedure } from "../trpc";

/**
 * Integrations: credentials (hints only), settings, the sandbox, usage and the OAuth2 connection.
 * The OAuth2 `state` is bound to the browser session (its session id), so only the session that
 * pressed "Connect" can finish on the callback page.
 */
export const integrationsRouter = router({
  list: tenantProcedure("integrations:manage").query(({ ctx }) => listIntegrations(serviceContext(ctx))),
  get: tenantProcedure("integrations:manage")
    .input(z.object({ integrationId: idSchema }))
    .query(({ ctx, input }) => getIntegration(serviceContext(ctx), input.integrationId)),
  create: tenantProcedure("integrations:manage")
    .input(createIntegrationRequestSchema)
    .mutation(({ ctx, input }) => createIntegration(serviceContext(ctx), input)),
  update: tenantProcedure("integrations:manage")
    .input(z.object({ integrationId: idSchema, patch: updateIntegrationInputSchema }))
    .mutation(({ ctx, input }) => updateIntegration(serviceContext(ctx), input.integrationId, input.patch)),
  delete: tenantProcedure("integrations:manage")
    .input(z.object({ integrationId: idSchema }))
    .mutation(({ ctx, input }) => deleteIntegration(serviceContext(ctx), input.integrationId)),
  test: tenantProcedure("integrations:manage")
    .input(z.object({ integrationId: z.string().min(1).max(128), request: integrationTestInputSchema }))
    .mutation(({ ctx, input }) => testIntegration(serviceContext(ctx), input.integrationId, input.request)),
  usage: tenantProcedure("integrations:manage")
    .input(z.object({ integrationId: idSchema, days: z.number().int().min(1).max(90).optional() }))
    .query(({ ctx, input }) =>
      integrationUsage(serviceContext(ctx), input.integrationId, input.days ? { days: input.days } : {}),
    ),
  connect: tenantProcedure("integrations:manage")
    .input(z.object({ integrationId: idSchema, redirectUri: z.url() }))
    .mutation(({ ctx, input }) =>
      startOAuthConnect(
        serviceContext(ctx),
        input.integrationId,
        { redirectUri: input.redirectUri },
        { binding: ctx.auth.sessionId },
      ),
    ),
  completeConnect: tenantProcedure("integrations:manage")
    .input(oauthCallbackInputSchema)
    .mutation(({ ctx, input }) =>
      completeOAuthConnect(serviceContext(ctx), input, { binding: ctx.auth.sessionId }),
    ),
});
