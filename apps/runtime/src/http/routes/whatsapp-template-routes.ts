import { whatsappTemplateSendInputSchema, whatsappTemplateSendResultSchema } from "@parley/contract";
import { sendWhatsAppTemplate } from "@parley/core";
import { z } from "zod";
import { type AnyRouteSpec, defineRoute } from "../route-spec";

const channelParams = z
  .object({ channelId: z.string().min(1).max(100).describe("The WhatsApp channel's id") })
  .strict();

/** WhatsApp template sends: the one kind of message allowed outside the 24-hour customer-service window. */
export const whatsappTemplateRoutes: AnyRouteSpec[] = [
  defineRoute({
    method: "POST",
    path: "/api/v1/channels/{channelId}/whatsapp/templates",
    operationId: "sendWhatsAppTemplate",
    summary: "Send an approved WhatsApp message template",
    description:
      "WhatsApp accepts free-form messages only within 24 hours of the contact's last message; outside that " +
      "window only approved templates can be sent (to re-open the conversation). `components` is passed to the " +
      "Cloud API as is. Answers Meta's message id; a template Meta refuses fails with Meta's message (422), a " +
      "throttled or unavailable Graph API with 503.",
    tag: "Channels",
    permission: "channels:manage",
    params: channelParams,
    body: whatsappTemplateSendInputSchema,
    success: {
      status: 200,
      description: "Sent: Meta's message id",
      schema: whatsappTemplateSendResultSchema,
    },
    errors: [404, 409, 422, 503],
    handler: ({ params, body, ctx }) => sendWhatsAppTemplate(ctx, params.channelId, body),
  }),
];
