import { createBot, createFlow, createIntegration, createTrigger, publishFlow } from "@parley/core";
import { type AnyParityRow, type ParityFixture, parityRow } from "../row";

/** A plain HTTP integration whose mock answers the sandbox (no outbound call). */
const mockedIntegration = (fx: ParityFixture) =>
  createIntegration(fx.owner, {
    name: fx.unique("crm"),
    config: {
      baseUrl: "https://crm.example.com/api",
      settings: { mock: { enabled: true, status: 200, body: { id: 7 } } } as never,
    },
    credentials: { type: "bearer", token: "parity-token-1234" },
  });

/** An OAuth2 authorization-code integration not connected yet (connecting only builds a URL). */
const codeIntegration = (fx: ParityFixture) =>
  createIntegration(fx.owner, {
    name: fx.unique("oauth"),
    config: { baseUrl: "https://api.example.com" },
    credentials: {
      type: "oauth2-authorization-code",
      authorizeUrl: "https://auth.example.com/authorize",
      tokenUrl: "https://auth.example.com/token",
      clientId: "parity-client",
      clientSecret: "parity-secret-5678",
    },
  });

const createBody = (fx: ParityFixture) => ({
  name: fx.unique("api"),
  config: { baseUrl: "https://api.example.com/v1" },
  credentials: { type: "api-key", name: "X-Api-Key", value: "parity-key-9012", in: "header" },
});

/** From the catalogue: Shopify with only the access token (the connector fixes the header name). */
const connectorBody = (fx: ParityFixture) => ({
  name: fx.unique("shop"),
  connector: "shopify",
  settings: { shop: "parity-shop" },
  credentials: { type: "header", value: "shpat_parity_3456" },
});

/** Integrations: the Integrations page and /api/v1/integrations. */
export const integrationRows: readonly AnyParityRow[] = [
  parityRow({
    name: "list integrations",
    permission: "integrations:manage",
    audit: null,
    studio: { procedure: "integrations.list", input: () => undefined },
    rest: { method: "GET", path: () => "/api/v1/integrations" },
  }),
  parityRow({
    name: "get an integration",
    permission: "integrations:manage",
    audit: null,
    setup: mockedIntegration,
    studio: { procedure: "integrations.get", input: (i) => ({ integrationId: i.id }) },
    rest: { method: "GET", path: (i) => `/api/v1/integrations/${i.id}` },
  }),
  parityRow({
    name: "create an integration",
    permission: "integrations:manage",
    audit: { action: "integration.create", targetType: "integration" },
    studio: { procedure: "integrations.create", input: (_, fx) => createBody(fx) },
    rest: { method: "POST", path: () => "/api/v1/integrations", body: (_, fx) => createBody(fx) },
  }),
  parityRow({
    name: "update an integration",
    permission: "integrations:manage",
    audit: { action: "integration.update", targetType: "integration" },
    setup: mockedIntegration,
    studio: {
      procedure: "integrations.update",
      input: (i, fx) => ({ integrationId: i.id, patch: { name: fx.unique("renamed") } }),
    },
    rest: {
      method: "PATCH",
      path: (i) => `/api/v1/integrations/${i.id}`,
      body: (_, fx) => ({ name: fx.unique("renamed") }),
    },
  }),
  parityRow({
    name: "delete an integration",
    permission: "integrations:manage",
    audit: { action: "integration.delete", targetType: "integration" },
    setup: mockedIntegration,
    studio: { procedure: "integrations.delete", input: (i) => ({ integrationId: i.id }) },
    rest: { method: "DELETE", path: (i) => `/api/v1/integrations/${i.id}` },
  }),
  parityRow({
    name: "test an integration in the sandbox",
    permission: "integrations:manage",
    audit: null,
    setup: mockedIntegration,
    studio: {
      procedure: "integrations.test",
      input: (i) => ({ integrationId: i.id, request: { path: "/contacts/7", useMock: true } }),
    },
    rest: {
      method: "POST",
      path: (i) => `/api/v1/integrations/${i.id}/test`,
      body: () => ({ path: "/contacts/7", useMock: true }),
    },
  }),
  parityRow({
    name: "read an integration's usage",
    permission: "integrations:manage",
    audit: null,
    setup: mockedIntegration,
    studio: { procedure: "integrations.usage", input: (i) => ({ integrationId: i.id, days: 7 }) },
    rest: { method: "GET", path: (i) => `/api/v1/integrations/${i.id}/usage?days=7` },
  }),
  parityRow({
    name: "start connecting an OAuth2 integration",
    permission: "integrations:manage",
    audit: null,
    setup: codeIntegration,
    studio: {
      procedure: "integrations.connect",
      input: (i) => ({
        integrationId: i.id,
        redirectUri: "https://studio.example.com/integrations/oauth/callback",
      }),
    },
    rest: {
      method: "POST",
      path: (i) => `/api/v1/integrations/${i.id}/oauth/authorize`,
      body: () => ({ redirectUri: "https://studio.example.com/integrations/oauth/callback" }),
    },
  }),
];

/** The connector catalogue: the catalogue page and /api/v1/connectors. */
export const connectorRows: readonly AnyParityRow[] = [
  parityRow({
    name: "list connectors",
    permission: "flows:read",
    audit: null,
    studio: { procedure: "connectors.list", input: () => ({ search: "shop" }) },
    rest: { method: "GET", path: () => "/api/v1/connectors?search=shop" },
  }),
  parityRow({
    name: "describe a connector",
    permission: "flows:read",
    audit: null,
    studio: { procedure: "connectors.get", input: () => ({ connectorId: "hubspot" }) },
    rest: { method: "GET", path: () => "/api/v1/connectors/hubspot" },
  }),
  parityRow({
    name: "create an integration from a connector",
    permission: "integrations:manage",
    audit: { action: "integration.create", targetType: "integration" },
    studio: { procedure: "connectors.createIntegration", input: (_, fx) => connectorBody(fx) },
    rest: { method: "POST", path: () => "/api/v1/integrations", body: (_, fx) => connectorBody(fx) },
  }),
];

const newBot = (fx: ParityFixture) => createBot(fx.owner, { name: fx.unique("bot") });

async function botWithTrigger(fx: ParityFixture) {
  const bot = await newBot(fx);
  const trigger = await createTrigger(fx.owner, bot.id, { name: "order-shipped", channel: "api" });
  return { bot, trigger };
}

const at = { x: 0, y: 0 };
/** A bot with a published flow (firing starts a conversation on it) and an api trigger. */
async function publishedBotWithTrigger(fx: ParityFixture) {
  const { bot } = await botWithTrigger(fx);
  const flow = await createFlow(fx.owner, {
    botId: bot.id,
    document: {
      version: 1,
      id: "notice",
      name: "Notice",
      variables: [],
      nodes: [
        { id: "start", kind: "start", position: at, data: {} },
        { id: "say", kind: "message", position: at, data: { text: "Your order shipped" } },
        { id: "end", kind: "end", position: at, data: {} },
      ],
      edges: [
        { id: "a", source: "start", sourceHandle: "next", target: "say" },
        { id: "b", source: "say", sourceHandle: "next", target: "end" },
      ],
    },
  });
  await publishFlow(fx.owner, flow.id, {});
  return bot;
}

/** Triggers: the bot's Triggers page and /api/v1/bots/{botId}/triggers. */
export const triggerRows: readonly AnyParityRow[] = [
  parityRow({
    name: "list a bot's triggers",
    permission: "bots:read",
    audit: null,
    setup: botWithTrigger,
    studio: { procedure: "triggers.list", input: ({ bot }) => ({ botId: bot.id }) },
    rest: { method: "GET", path: ({ bot }) => `/api/v1/bots/${bot.id}/triggers` },
  }),
  parityRow({
    name: "create a trigger",
    permission: "bots:write",
    audit: { action: "trigger.create", targetType: "trigger" },
    setup: newBot,
    studio: {
      procedure: "triggers.create",
      input: (bot) => ({ botId: bot.id, trigger: { name: "signup", variables: { email: "data.email" } } }),
    },
    rest: {
      method: "POST",
      path: (bot) => `/api/v1/bots/${bot.id}/triggers`,
      body: () => ({ name: "signup", variables: { email: "data.email" } }),
    },
  }),
  parityRow({
    name: "update a trigger",
    permission: "bots:write",
    audit: { action: "trigger.update", targetType: "trigger" },
    setup: botWithTrigger,
    studio: {
      procedure: "triggers.update",
      input: ({ bot }) => ({ botId: bot.id, name: "order-shipped", change: { enabled: false } }),
    },
    rest: {
      method: "PATCH",
      path: ({ bot }) => `/api/v1/bots/${bot.id}/triggers/order-shipped`,
      body: () => ({ enabled: false }),
    },
  }),
  parityRow({
    name: "delete a trigger",
    permission: "bots:write",
    audit: { action: "trigger.delete", targetType: "trigger" },
    setup: botWithTrigger,
    studio: { procedure: "triggers.remove", input: ({ bot }) => ({ botId: bot.id, name: "order-shipped" }) },
    rest: { method: "DELETE", path: ({ bot }) => `/api/v1/bots/${bot.id}/triggers/order-shipped` },
  }),
  parityRow({
    name: "fire a trigger",
    permission: "conversations:write",
    audit: null,
    setup: publishedBotWithTrigger,
    studio: {
      procedure: "triggers.fire",
      input: (bot) => ({ botId: bot.id, name: "order-shipped", request: { user: { id: "customer-1" } } }),
    },
    rest: {
      method: "POST",
      path: (bot) => `/api/v1/bots/${bot.id}/triggers/order-shipped`,
      body: () => ({ user: { id: "customer-1" } }),
    },
  }),
  parityRow({
    name: "generate a bot's trigger secret",
    permission: "bots:write",
    audit: { action: "bot.generate_trigger_secret", targetType: "bot" },
    setup: newBot,
    studio: { procedure: "triggers.generateSecret", input: (bot) => ({ botId: bot.id }) },
    rest: { method: "POST", path: (bot) => `/api/v1/bots/${bot.id}/trigger-secret` },
  }),
];
