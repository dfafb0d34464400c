import { createIntegrationRequestSchema, listConnectorsQuerySchema } from "@parley/contract";
import { createIntegration, getConnector, listConnectors } from "@parley/core";
import { z } from "zod";
import { serviceContext } from "../core-bridge";
import { router, tenantProcedure } from "../trpc";

/** The connector catalogue (REST twins: /api/v1/connectors, POST /api/v1/integrations with `connector`). */
export const connectorsRouter = router({
  list: tenantProcedure("flows:read")
    .input(listConnectorsQuerySchema.optional())
    .query(({ ctx, input }) => listConnectors(serviceContext(ctx), input ?? {})),
  get: tenantProcedure("flows:read")
    .input(z.object({ connectorId: z.string().min(1).max(64) }))
    .query(({ ctx, input }) => getConnector(serviceContext(ctx), input.connectorId)),
  /** Creates an integration from a connector (the studio's "Use" form). */
  createIntegration: tenantProcedure("integrations:manage")
    .input(createIntegrationRequestSchema)
    .mutation(({ ctx, input }) => createIntegration(serviceContext(ctx), input)),
});
