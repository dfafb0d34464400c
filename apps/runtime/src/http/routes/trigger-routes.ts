import {
  botIdParamsSchema,
  createTriggerInputSchema,
  fireTriggerRequestSchema,
  fireTriggerResponseSchema,
  triggerParamsSchema,
  triggerSecretResponseSchema,
  triggerViewSchema,
  updateTriggerInputSchema,
} from "@parley/contract";
import {
  createTrigger,
  deleteTrigger,
  fireSignedTrigger,
  fireTrigger,
  generateTriggerSecret,
  listTriggers,
  TRIGGER_SIGNATURE_HEADER,
  updateTrigger,
} from "@parley/core";
import { z } from "zod";
import { type AnyRouteSpec, defineRoute } from "../route-spec";

/**
 * Bot triggers: named inbound endpoints that start a conversation (a proactive message) for a
 * contact on a channel, with variables mapped from the request body.
 */
export const triggerRoutes: AnyRouteSpec[] = [
  defineRoute({
    method: "GET",
    path: "/api/v1/bots/{botId}/triggers",
    operationId: "listTriggers",
    summary: "List a bot's triggers",
    tag: "Triggers",
    permission: "bots:read",
    params: botIdParamsSchema,
    success: {
      status: 200,
      description: "The triggers",
      schema: z.object({ items: z.array(triggerViewSchema) }),
    },
    errors: [404],
    handler: async ({ params, ctx }) => ({ items: await listTriggers(ctx, params.botId) }),
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/bots/{botId}/triggers",
    operationId: "createTrigger",
    summary: "Define a trigger: name -> channel, flow and variable mapping (JSONata over the request body)",
    tag: "Triggers",
    permission: "bots:write",
    params: botIdParamsSchema,
    body: createTriggerInputSchema,
    success: { status: 201, description: "Created", schema: triggerViewSchema },
    errors: [404, 409, 422],
    handler: ({ params, body, ctx }) => createTrigger(ctx, params.botId, body),
  }),
  defineRoute({
    method: "PATCH",
    path: "/api/v1/bots/{botId}/triggers/{name}",
    operationId: "updateTrigger",
    summary: "Change a trigger (channel, flow, mapping, enabled)",
    tag: "Triggers",
    permission: "bots:write",
    params: triggerParamsSchema,
    body: updateTriggerInputSchema,
    success: { status: 200, description: "Updated", schema: triggerViewSchema },
    errors: [404, 422],
    handler: ({ params, body, ctx }) => updateTrigger(ctx, params.botId, params.name, body),
  }),
  defineRoute({
    method: "DELETE",
    path: "/api/v1/bots/{botId}/triggers/{name}",
    operationId: "deleteTrigger",
    summary: "Delete a trigger",
    tag: "Triggers",
    permission: "bots:write",
    params: triggerParamsSchema,
    success: { status: 204, description: "Deleted" },
    errors: [404],
    handler: ({ params, ctx }) => deleteTrigger(ctx, params.botId, params.name),
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/bots/{botId}/trigger-secret",
    operationId: "generateTriggerSecret",
    summary: "Generate or rotate the bot's trigger secret (shown once) for signed trigger requests",
    tag: "Triggers",
    permission: "bots:write",
    params: botIdParamsSchema,
    success: { status: 201, description: "The secret, shown this once", schema: triggerSecretResponseSchema },
    errors: [404],
    handler: ({ params, ctx }) => generateTriggerSecret(ctx, params.botId),
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/bots/{botId}/triggers/{name}",
    operationId: "fireTrigger",
    summary: "Fire a trigger: start a conversation for a contact on the trigger's channel",
    description:
      "Authenticate with a secret key holding `conversations:write` (`Authorization: Bearer sk_...`), or sign " +
      `the raw body with the bot's trigger secret: \`${TRIGGER_SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">\` ` +
      "(five-minute window). The contact is `contactId`, or `user` (the identity on the channel), or a new one.",
    tag: "Triggers",
    permission: "conversations:write",
    auth: "key-or-signed",
    rawBody: true,
    params: triggerParamsSchema,
    body: fireTriggerRequestSchema,
    success: { status: 201, description: "The conversation started", schema: fireTriggerResponseSchema },
    errors: [404, 409, 422],
    handler: ({ params, body, ctx, request }) => {
      if (ctx.tenantId) return fireTrigger(ctx, params.botId, params.name, body);
      const signature = request.headers[TRIGGER_SIGNATURE_HEADER];
      return fireSignedTrigger(
        ctx.deps,
        params.botId,
        params.name,
        (request as { rawBody?: Buffer }).rawBody?.toString("utf8") ?? "",
        Array.isArray(signature) ? signature[0] : signature,
      );
    },
  }),
];
