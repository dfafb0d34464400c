import {
  channelTestMessageInputSchema,
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
import { serviceContext } from "../core-bridge";
import { idSchema, router, tenantProcedure } from "../trpc";

const botInput = z.object({ botId: idSchema });
const channelInput = z.object({ channelId: idSchema });

/**
 * A bot's messaging channels (Slack, Telegram, WhatsApp, Messenger, Teams), each a call of
 * @parley/core's channel services (the REST API's `/api/v1/bots/{botId}/channels` and
 * `/api/v1/channels/{channelId}` call the same). All need `channels:manage` (owners and admins).
 */
export const channelsRouter = router({
  list: tenantProcedure("channels:manage")
    .input(botInput)
    .query(({ ctx, input }) => listChannels(serviceContext(ctx), input.botId)),
  get: tenantProcedure("channels:manage")
    .input(channelInput)
    .query(({ ctx, input }) => getChannel(serviceContext(ctx), input.channelId)),
  create: tenantProcedure("channels:manage")
    .input(createChannelInputSchema.extend(botInput.shape))
    .mutation(({ ctx, input: { botId, ...channel } }) => createChannel(serviceContext(ctx), botId, channel)),
  update: tenantProcedure("channels:manage")
    .input(updateChannelInputSchema.extend(channelInput.shape))
    .mutation(({ ctx, input: { channelId, ...change } }) =>
      updateChannel(serviceContext(ctx), channelId, change),
    ),
  delete: tenantProcedure("channels:manage")
    .input(channelInput)
    .mutation(({ ctx, input }) =>
      deleteChannel(serviceContext(ctx), input.channelId).then(() => ({ ok: true }) as const),
    ),
  testMessage: tenantProcedure("channels:manage")
    .input(channelTestMessageInputSchema.extend(channelInput.shape))
    .mutation(({ ctx, input: { channelId, ...message } }) =>
      sendChannelTestMessage(serviceContext(ctx), channelId, message),
    ),
});
