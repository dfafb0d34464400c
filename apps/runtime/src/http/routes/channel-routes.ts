import {
  botIdParamsSchema,
  channelIdParamsSchema,
  channelTestMessageInputSchema,
  channelTestMessageResultSchema,
  channelViewSchema,
  createChannelInputSchema,
  updateChannelInputSchema,
} from "@parley/contract";
import {
  createChannel,
  deleteChannel,
  getChannel,
  listChannels,
  sendChannelTestMessage,
  updateChannel,
} from "@parley/core";
import { z } from "zod";
import { type AnyRouteSpec, defineRoute } from "../route-spec";

/**
 * Messaging channels: connect a bot to Slack, Telegram, WhatsApp, Messenger or Teams. Credentials
 * are checked by the platform's adapter, stored encrypted and never returned; each channel gets
 * one `webhookUrl` for its platform to call.
 */
export const channelRoutes: AnyRouteSpec[] = [
  defineRoute({
    method: "POST",
    path: "/api/v1/bots/{botId}/channels",
    operationId: "createChannel",
    summary: "Connect a bot to a messaging platform",
    description:
      "`type` is `slack` (credentials `{ botToken, signingSecret }`, settings `{ apiUrl? }`), `telegram` " +
      "(`{ botToken, secretToken? }`, `{ apiUrl? }`; connecting calls `setWebhook`), `whatsapp` " +
      "(`{ accessToken, appSecret, verifyToken }`, `{ phoneNumberId, apiUrl? }`), `messenger` " +
      "(`{ pageAccessToken, appSecret, verifyToken }`, `{ pageId, apiUrl? }`) or `teams` " +
      "(`{ appId, appPassword }`, `{ appTenantId?, openIdMetadataUrl?, tokenUrl? }`). Give the answer's " +
      "`webhookUrl` to the platform. Credentials are encrypted and never shown again.",
    tag: "Channels",
    permission: "channels:manage",
    params: botIdParamsSchema,
    body: createChannelInputSchema,
    success: { status: 201, description: "Connected", schema: channelViewSchema },
    errors: [404, 422],
    handler: ({ params, body, ctx }) => createChannel(ctx, params.botId, body),
  }),
  defineRoute({
    method: "GET",
    path: "/api/v1/bots/{botId}/channels",
    operationId: "listChannels",
    summary: "List a bot's channels with their live status (never credentials)",
    tag: "Channels",
    permission: "channels:manage",
    params: botIdParamsSchema,
    success: {
      status: 200,
      description: "The channels",
      schema: z.object({ items: z.array(channelViewSchema) }),
    },
    errors: [404],
    handler: async ({ params, ctx }) => ({ items: await listChannels(ctx, params.botId) }),
  }),
  defineRoute({
    method: "GET",
    path: "/api/v1/channels/{channelId}",
    operationId: "getChannel",
    summary: "Get a channel and its live status (last inbound, last outbound, last error)",
    tag: "Channels",
    permission: "channels:manage",
    params: channelIdParamsSchema,
    success: { status: 200, description: "The channel", schema: channelViewSchema },
    errors: [404],
    handler: ({ params, ctx }) => getChannel(ctx, params.channelId),
  }),
  defineRoute({
    method: "PATCH",
    path: "/api/v1/channels/{channelId}",
    operationId: "updateChannel",
    summary: "Rename, enable or disable a channel, or replace its credentials or settings",
    tag: "Channels",
    permission: "channels:manage",
    params: channelIdParamsSchema,
    body: updateChannelInputSchema,
    success: { status: 200, description: "Updated", schema: channelViewSchema },
    errors: [404, 422],
    handler: ({ params, body, ctx }) => updateChannel(ctx, params.channelId, body),
  }),
  defineRoute({
    method: "DELETE",
    path: "/api/v1/channels/{channelId}",
    operationId: "deleteChannel",
    summary: "Disconnect a channel (its conversations stay in the transcript)",
    tag: "Channels",
    permission: "channels:manage",
    params: channelIdParamsSchema,
    success: { status: 204, description: "Deleted" },
    errors: [404],
    handler: ({ params, ctx }) => deleteChannel(ctx, params.channelId),
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/channels/{channelId}/test-message",
    operationId: "sendChannelTestMessage",
    summary: "Send a test message through a channel",
    description:
      "`to` is a Slack channel or user id, a Telegram chat id, a WhatsApp phone number, a Messenger PSID " +
      "or a Teams conversation id. Answers whether the platform accepted it (and why not).",
    tag: "Channels",
    permission: "channels:manage",
    params: channelIdParamsSchema,
    body: channelTestMessageInputSchema,
    success: {
      status: 200,
      description: "What the platform answered",
      schema: channelTestMessageResultSchema,
    },
    errors: [404, 422],
    handler: ({ params, body, ctx }) => sendChannelTestMessage(ctx, params.channelId, body),
  }),
];
