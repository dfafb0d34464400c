import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createBot, createChannel } from "@parley/core";
import { type AnyParityRow, type ParityFixture, parityRow } from "../row";

/** A local stand-in for Slack's Web API: every method answers `ok` (auth.test, chat.postMessage). */
let slackApi: Promise<string> | undefined;
function fakeSlackApi(): Promise<string> {
  slackApi ??= new Promise((resolve) => {
    const server = createServer((request, response) => {
      request.resume();
      request.on("end", () =>
        response
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ ok: true, team_id: "T1", user_id: "UBOT", channel: "C1", ts: "1.1" })),
      );
    });
    server.unref();
    server.listen(0, "127.0.0.1", () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`),
    );
  });
  return slackApi;
}

/** A local stand-in for the WhatsApp Cloud API: `POST /{phone-number-id}/messages` answers a message id. */
let graphApi: Promise<string> | undefined;
function fakeGraphApi(): Promise<string> {
  graphApi ??= new Promise((resolve) => {
    const server = createServer((request, response) => {
      request.resume();
      request.on("end", () =>
        response
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ messaging_product: "whatsapp", messages: [{ id: "wamid.PARITY" }] })),
      );
    });
    server.unref();
    server.listen(0, "127.0.0.1", () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`),
    );
  });
  return graphApi;
}

async function newWhatsAppChannel(fx: ParityFixture) {
  const bot = await newBot(fx);
  return createChannel(fx.owner, bot.id, {
    type: "whatsapp",
    name: fx.unique("whatsapp"),
    credentials: { accessToken: "parity-access", appSecret: "parity-secret", verifyToken: "parity-verify" },
    settings: { phoneNumberId: "100200300", apiUrl: await fakeGraphApi() },
  } as never);
}

const template = { to: "15551234567", name: "order_update", language: "en_US" };

const slackBody = async (fx: ParityFixture) => ({
  type: "slack",
  name: fx.unique("slack"),
  credentials: { botToken: "xoxb-parity", signingSecret: "parity-secret" },
  settings: { apiUrl: await fakeSlackApi() },
});

const newBot = (fx: ParityFixture) => createBot(fx.owner, { name: fx.unique("bot") });

async function newChannel(fx: ParityFixture) {
  const bot = await newBot(fx);
  return createChannel(fx.owner, bot.id, (await slackBody(fx)) as never);
}

/** Messaging channels: the Channels tab and /api/v1/bots/{botId}/channels, /api/v1/channels/{id}. */
export const channelRows: readonly AnyParityRow[] = [
  parityRow({
    name: "list a bot's channels",
    permission: "channels:manage",
    audit: null,
    setup: newBot,
    studio: { procedure: "channels.list", input: (bot) => ({ botId: bot.id }) },
    rest: { method: "GET", path: (bot) => `/api/v1/bots/${bot.id}/channels` },
  }),
  parityRow({
    name: "get a channel",
    permission: "channels:manage",
    audit: null,
    setup: newChannel,
    studio: { procedure: "channels.get", input: (channel) => ({ channelId: channel.id }) },
    rest: { method: "GET", path: (channel) => `/api/v1/channels/${channel.id}` },
  }),
  parityRow({
    name: "connect a channel",
    permission: "channels:manage",
    audit: { action: "channel.create", targetType: "channel" },
    setup: async (fx) => ({ bot: await newBot(fx), body: await slackBody(fx) }),
    studio: { procedure: "channels.create", input: ({ bot, body }) => ({ botId: bot.id, ...body }) },
    rest: { method: "POST", path: ({ bot }) => `/api/v1/bots/${bot.id}/channels`, body: ({ body }) => body },
  }),
  parityRow({
    name: "update a channel",
    permission: "channels:manage",
    audit: { action: "channel.update", targetType: "channel" },
    setup: newChannel,
    studio: { procedure: "channels.update", input: (channel) => ({ channelId: channel.id, enabled: false }) },
    rest: {
      method: "PATCH",
      path: (channel) => `/api/v1/channels/${channel.id}`,
      body: () => ({ enabled: false }),
    },
  }),
  parityRow({
    name: "delete a channel",
    permission: "channels:manage",
    audit: { action: "channel.delete", targetType: "channel" },
    setup: newChannel,
    studio: { procedure: "channels.delete", input: (channel) => ({ channelId: channel.id }) },
    rest: { method: "DELETE", path: (channel) => `/api/v1/channels/${channel.id}` },
  }),
  parityRow({
    name: "send a channel test message",
    permission: "channels:manage",
    audit: null,
    setup: newChannel,
    studio: { procedure: "channels.testMessage", input: (channel) => ({ channelId: channel.id, to: "C1" }) },
    rest: {
      method: "POST",
      path: (channel) => `/api/v1/channels/${channel.id}/test-message`,
      body: () => ({ to: "C1" }),
    },
  }),
  parityRow({
    name: "send a WhatsApp template",
    permission: "channels:manage",
    audit: null,
    setup: newWhatsAppChannel,
    studio: {
      procedure: "whatsapp.sendTemplate",
      input: (channel) => ({ channelId: channel.id, template }),
    },
    rest: {
      method: "POST",
      path: (channel) => `/api/v1/channels/${channel.id}/whatsapp/templates`,
      body: () => template,
    },
  }),
];
