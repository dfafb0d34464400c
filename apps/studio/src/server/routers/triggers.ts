import {
  createTriggerInputSchema,
  fireTriggerRequestSchema,
  updateTriggerInputSchema,
} from "@parley/contract";
import {
  createTrigger,
  deleteTrigger,
  fireTrigger,
  generateTriggerSecret,
  listTriggers,
  updateTrigger,
} from "@parley/core";
import { z } from "zod";
import { serviceContext } from "../core-bridge";
import { idSchema, router, tenantProcedure } from "../trpc";

const triggerRef = z.object({ botId: idSchema, name: z.string().min(1).max(64) });

/** A bot's triggers (REST twins: /api/v1/bots/{botId}/triggers[/{name}], /trigger-secret). */
export const triggersRouter = router({
  list: tenantProcedure("bots:read")
    .input(z.object({ botId: idSchema }))
    .query(({ ctx, input }) => listTriggers(serviceContext(ctx), input.botId)),
  create: tenantProcedure("bots:write")
    .input(z.object({ botId: idSchema, trigger: createTriggerInputSchema }))
    .mutation(({ ctx, input }) => createTrigger(serviceContext(ctx), input.botId, input.trigger)),
  update: tenantProcedure("bots:write")
    .input(triggerRef.extend({ change: updateTriggerInputSchema }))
    .mutation(({ ctx, input }) => updateTrigger(serviceContext(ctx), input.botId, input.name, input.change)),
  remove: tenantProcedure("bots:write")
    .input(triggerRef)
    .mutation(async ({ ctx, input }) => {
      await deleteTrigger(serviceContext(ctx), input.botId, input.name);
      return { ok: true };
    }),
  /** "Fire now" on the Triggers page: starts the conversation as the REST call would. */
  fire: tenantProcedure("conversations:write")
    .input(triggerRef.extend({ request: fireTriggerRequestSchema }))
    .mutation(({ ctx, input }) => fireTrigger(serviceContext(ctx), input.botId, input.name, input.request)),
  generateSecret: tenantProcedure("bots:write")
    .input(z.object({ botId: idSchema }))
    .mutation(({ ctx, input }) => generateTriggerSecret(serviceContext(ctx), input.botId)),
});
