import { whatsappTemplateSendInputSchema } from "@parley/contract";
import { sendWhatsAppTemplate } from "@parley/core";
import { z } from "zod";
import { serviceContext } from "../core-bridge";
import { idSchema, router, tenantProcedure } from "../trpc";

/** WhatsApp-specific channel actions (REST twin: POST /api/v1/channels/{channelId}/whatsapp/templates). */
export const whatsappRouter = router({
  sendTemplate: tenantProcedure("channels:manage")
    .input(z.object({ channelId: idSchema, template: whatsappTemplateSendInputSchema }))
    .mutation(({ ctx, input }) => sendWhatsAppTemplate(serviceContext(ctx), input.channelId, input.template)),
});
