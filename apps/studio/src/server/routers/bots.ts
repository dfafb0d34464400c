import {
  archivedFilterSchema,
  createBotInputSchema,
  deleteInputSchema,
  duplicateBotInputSchema,
  updateBotInputSchema,
} from "@parley/contract";
import {
  archiveBot,
  createBot,
  deleteBot,
  duplicateBot,
  generateIdentitySecret,
  getBot,
  getBotSummary,
  identityVerificationStatus,
  listBots,
  restoreBot,
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
  list: tenantProcedure("bots:read")
    .input(z.object({ status: archivedFilterSchema }).optional())
    .query(({ ctx, input }) => listBots(serviceContext(ctx), { status: input?.status ?? "live" })),
  /** The bot home's header: counts and status at a glance. */
  summary: tenantProcedure("bots:read")
    .input(z.object({ botId: idSchema }))
    .query(({ ctx, input }) => getBotSummary(serviceContext(ctx), input.botId)),
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
  restore: tenantProcedure("bots:write")
    .input(z.object({ botId: idSchema }))
    .mutation(({ ctx, input }) => restoreBot(serviceContext(ctx), input.botId)),
  duplicate: tenantProcedure("bots:write")
    .input(duplicateBotInputSchema.extend({ botId: idSchema }))
    .mutation(({ ctx, input: { botId, ...rest } }) => duplicateBot(serviceContext(ctx), botId, rest)),
  /** Deletes for good; a bot with conversations needs `confirmName` (its name, typed). */
  delete: tenantProcedure("bots:write")
    .input(deleteInputSchema.extend({ botId: idSchema }))
    .mutation(async ({ ctx, input: { botId, ...rest } }) => {
      await deleteBot(serviceContext(ctx), botId, rest);
      return { ok: true };
    }),
});
