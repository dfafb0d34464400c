/**
 * Messaging channels (Slack, Telegram, WhatsApp, Messenger, Teams): connecting a bot
 * (channel-configs.ts), the webhook every platform calls (webhook-ingest.ts), the turns of inbound
 * events (inbound-turn.ts) and the ordered, retried delivery of replies (delivery.ts), over one
 * adapter per platform (platforms/, behind platform-adapter.ts).
 */
export {
  createChannel,
  deleteChannel,
  getChannel,
  listChannels,
  sendChannelTestMessage,
  updateChannel,
} from "./channel-configs";
export { channelWebhookUrl } from "./channel-connection";
export { fetchChannelFile } from "./channel-files";
export { DELIVERY_FAILED_NODE, deliverChannelMessages, retryDelayMs } from "./delivery";
export {
  CHANNEL_DELIVERY_QUEUE,
  CHANNEL_INBOUND_QUEUE,
  channelDeliveryJobSchema,
  channelInboundJobSchema,
} from "./inbound-queue";
export { processChannelInbound } from "./inbound-turn";
export type * from "./platform-adapter";
export { adapterOf, isPlatformType, platformAdapters } from "./platforms";
export { messengerAdapter } from "./platforms/messenger/adapter";
export { metaSignature } from "./platforms/meta/signature";
export { fileLinkSignature } from "./platforms/shared/file-links";
export { slackAdapter } from "./platforms/slack";
export { slackSignature, verifySlackRequest } from "./platforms/slack/signature";
export { createTeamsAdapter, teamsAdapter } from "./platforms/teams/adapter";
export { telegramAdapter } from "./platforms/telegram";
export { createWhatsAppAdapter, whatsappAdapter } from "./platforms/whatsapp/adapter";
export { recoverChannelWork } from "./recovery";
export { serveChannelQueues } from "./serve-channel-queues";
export { receiveChannelWebhook, type WebhookAnswer } from "./webhook-ingest";
export { sendWhatsAppTemplate } from "./whatsapp-templates";
