import { createBotInputSchema, updateBotInputSchema } from "@parley/contract";
import {
  archiveBot,
  createBot,
  generateIdentitySecret,
  getBot,
  identityVerificationStatus,
  listBots,
  rotatePublishableKey,
  updateBot,
} from "@parley/core";
import { z } from "zod";
import { serviceContext } from "../core-bridge";
import { embedSnippet } from "../services/embed";
import { idSchema, router, tenantProcedure } from "../trpc";

/**
 * Bots: list, settings (allowed origins, widget theme), publishable key, embed snippet and the
 * identity secret for visitor identity tokens (shown once).
 */
export const botsRouter = router({
  list: tenantProcedure("bots:read").query(({ ctx }) => listBots(serviceContext(ctx))),
  get: tenantProcedure("bots:read")
    .input(z.object({ botId: idSchema }))
    .query(async ({ ctx, input }) => {
      const bot = await getBot(serviceContext(ctx), input.botId);
      return {
        ...bot,
        embedSnippet: embedSnippet(ctx.runtimeUrl, bot.id, bot.publishableKey),
        runtimeUrl: ctx.runtimeUrl,
      };
    }),
  create: tenantProcedure("bots:write")
    .input(createBotInputSchema)
    .mutation(({ ctx, input }) => createBot(serviceContext(ctx), input)),
  update: tenantProcedure("bots:write")
    .input(z.object({ botId: idSchema, changes: updateBotInputSchema }))
    .mutation(({ ctx, input }) => updateBot(serviceContext(ctx), input.botId, input.changes)),
  rotatePublishableKey: tenantProcedure("bots:write")
    .input(z.object({ botId: idSchema }))
    .mutation(({ ctx, input }) => rotatePublishableKey(serviceContext(ctx), input.botId)),
  identityVerification: tenantProcedure("bots:read")
    .input(z.object({ botId: idSchema }))
    .query(({ ctx, input }) => identityVerificationStatus(serviceContext(ctx), input.botId)),
  generateIdentitySecret: tenantProcedure("bots:write")
    .input(z.object({ botId: idSchema }))
    .mutation(({ ctx, input }) => generateIdentitySecret(serviceContext(ctx), input.botId)),
  archive: tenantProcedure("bots:write")
    .input(z.object({ botId: idSchema }))
    .mutation(async ({ ctx, input }) => {
      await archiveBot(serviceContext(ctx), input.botId);
      return { ok: true };
    }),
});
