import { archiveBot, createBot } from "@parley/core";
import { type AnyParityRow, parityRow } from "../row";

const archivedBot = async (fx: Parameters<NonNullable<AnyParityRow["setup"]>>[0]) => {
  const bot = await createBot(fx.owner, { name: fx.unique("bot") });
  await archiveBot(fx.owner, bot.id);
  return bot;
};

const newBot = (fx: Parameters<NonNullable<AnyParityRow["setup"]>>[0]) =>
  createBot(fx.owner, { name: fx.unique("bot") });

/** Bots: the bot pages and /api/v1/bots (rotating the publishable key has no REST twin yet). */
export const botRows: readonly AnyParityRow[] = [
  parityRow({
    name: "list bots",
    permission: "bots:read",
    audit: null,
    studio: { procedure: "bots.list", input: () => undefined },
    rest: { method: "GET", path: () => "/api/v1/bots" },
  }),
  parityRow({
    name: "get a bot",
    permission: "bots:read",
    audit: null,
    setup: newBot,
    studio: { procedure: "bots.get", input: (bot) => ({ botId: bot.id }) },
    rest: { method: "GET", path: (bot) => `/api/v1/bots/${bot.id}` },
  }),
  parityRow({
    name: "create a bot",
    permission: "bots:write",
    audit: { action: "bot.create", targetType: "bot" },
    studio: { procedure: "bots.create", input: (_, fx) => ({ name: fx.unique("bot") }) },
    rest: { method: "POST", path: () => "/api/v1/bots", body: (_, fx) => ({ name: fx.unique("bot") }) },
  }),
  parityRow({
    name: "change a bot's settings",
    permission: "bots:write",
    audit: { action: "bot.update", targetType: "bot" },
    setup: newBot,
    studio: { procedure: "bots.update", input: (bot) => ({ botId: bot.id, changes: { name: "Renamed" } }) },
    rest: { method: "PATCH", path: (bot) => `/api/v1/bots/${bot.id}`, body: () => ({ name: "Renamed" }) },
  }),
  parityRow({
    name: "archive a bot",
    permission: "bots:write",
    audit: { action: "bot.archive", targetType: "bot" },
    setup: newBot,
    studio: { procedure: "bots.archive", input: (bot) => ({ botId: bot.id }) },
    rest: { method: "DELETE", path: (bot) => `/api/v1/bots/${bot.id}` },
  }),
  parityRow({
    name: "rotate a bot's publishable key",
    permission: "bots:write",
    audit: { action: "bot.rotate_publishable_key", targetType: "bot" },
    setup: newBot,
    studio: { procedure: "bots.rotatePublishableKey", input: (bot) => ({ botId: bot.id }) },
    rest: { method: "POST", path: (bot) => `/api/v1/bots/${bot.id}/publishable-key` },
  }),
  parityRow({
    name: "read a bot's identity verification status",
    permission: "bots:read",
    audit: null,
    setup: newBot,
    studio: { procedure: "bots.identityVerification", input: (bot) => ({ botId: bot.id }) },
    rest: { method: "GET", path: (bot) => `/api/v1/bots/${bot.id}/identity-secret` },
  }),
  parityRow({
    name: "generate a bot's identity secret",
    permission: "bots:write",
    audit: { action: "bot.generate_identity_secret", targetType: "bot" },
    setup: newBot,
    studio: { procedure: "bots.generateIdentitySecret", input: (bot) => ({ botId: bot.id }) },
    rest: { method: "POST", path: (bot) => `/api/v1/bots/${bot.id}/identity-secret` },
  }),
  parityRow({
    name: "list archived bots",
    permission: "bots:read",
    audit: null,
    studio: { procedure: "bots.list", input: () => ({ status: "archived" }) },
    rest: { method: "GET", path: () => "/api/v1/bots?status=archived" },
  }),
  parityRow({
    name: "a bot at a glance (summary)",
    permission: "bots:read",
    audit: null,
    setup: newBot,
    studio: { procedure: "bots.summary", input: (bot) => ({ botId: bot.id }) },
    rest: { method: "GET", path: (bot) => `/api/v1/bots/${bot.id}/summary` },
  }),
  parityRow({
    name: "archive a bot (POST)",
    permission: "bots:write",
    audit: { action: "bot.archive", targetType: "bot" },
    setup: newBot,
    studio: { procedure: "bots.archive", input: (bot) => ({ botId: bot.id }) },
    rest: { method: "POST", path: (bot) => `/api/v1/bots/${bot.id}/archive` },
  }),
  parityRow({
    name: "restore an archived bot",
    permission: "bots:write",
    audit: { action: "bot.restore", targetType: "bot" },
    setup: archivedBot,
    studio: { procedure: "bots.restore", input: (bot) => ({ botId: bot.id }) },
    rest: { method: "POST", path: (bot) => `/api/v1/bots/${bot.id}/restore` },
  }),
  parityRow({
    name: "duplicate a bot",
    permission: "bots:write",
    audit: { action: "bot.duplicate", targetType: "bot" },
    setup: newBot,
    studio: { procedure: "bots.duplicate", input: (bot) => ({ botId: bot.id }) },
    rest: { method: "POST", path: (bot) => `/api/v1/bots/${bot.id}/duplicate` },
  }),
  parityRow({
    name: "delete a bot for good",
    permission: "bots:write",
    audit: { action: "bot.delete", targetType: "bot" },
    setup: newBot,
    studio: { procedure: "bots.delete", input: (bot) => ({ botId: bot.id }) },
    rest: { method: "DELETE", path: (bot) => `/api/v1/bots/${bot.id}?permanent=true` },
  }),
];
