import { createApiKeyInputSchema } from "@parley/contract";
import { createApiKey, listApiKeys, revokeApiKey } from "@parley/core";
import { z } from "zod";
import { serviceContext } from "../core-bridge";
import { idSchema, router, tenantProcedure } from "../trpc";

/** The workspace's secret API keys: the key is returned once, on creation. */
export const apiKeysRouter = router({
  list: tenantProcedure("apiKeys:manage").query(({ ctx }) => listApiKeys(serviceContext(ctx))),
  create: tenantProcedure("apiKeys:manage")
    .input(createApiKeyInputSchema)
    .mutation(({ ctx, input }) => createApiKey(serviceContext(ctx), input)),
  revoke: tenantProcedure("apiKeys:manage")
    .input(z.object({ keyId: idSchema }))
    .mutation(({ ctx, input }) => revokeApiKey(serviceContext(ctx), input.keyId)),
});
