import { createBot, saveModelBudget, saveModelPrice, saveModelProvider, saveModelRoute } from "@parley/core";
import { type AnyParityRow, type ParityFixture, parityRow } from "../row";

const offlinePolicy = { targets: [{ provider: "offline", model: "offline" }] };
const newBot = (fx: ParityFixture) => createBot(fx.owner, { name: fx.unique("bot") });
const newProvider = (fx: ParityFixture) =>
  saveModelProvider(fx.owner, {
    name: fx.unique("provider").replace(/[^A-Za-z0-9_.-]/g, "-"),
    kind: "offline",
  });
const newRoute = (fx: ParityFixture) =>
  saveModelRoute(fx.owner, { name: fx.unique("route"), policy: offlinePolicy });
const providerName = (fx: ParityFixture) => fx.unique("provider").replace(/[^A-Za-z0-9_.-]/g, "-");

/**
 * Model settings: the models page and /api/v1/model-* (providers, routes, routing, prices, budgets,
 * choices, try it), each pair over the same core function of core/model-settings.
 */
export const modelRows: readonly AnyParityRow[] = [
  parityRow({
    name: "list model providers",
    permission: "bots:read",
    audit: null,
    studio: { procedure: "models.providers", input: () => undefined },
    rest: { method: "GET", path: () => "/api/v1/model-providers" },
  }),
  parityRow({
    name: "add a model provider",
    permission: "models:manage",
    audit: { action: "model_provider.create", targetType: "model_provider" },
    studio: {
      procedure: "models.saveProvider",
      input: (_, fx) => ({ name: providerName(fx), kind: "offline" }),
    },
    rest: {
      method: "POST",
      path: () => "/api/v1/model-providers",
      body: (_, fx) => ({ name: providerName(fx), kind: "offline" }),
    },
  }),
  parityRow({
    name: "change a model provider",
    permission: "models:manage",
    audit: { action: "model_provider.update", targetType: "model_provider" },
    setup: newProvider,
    studio: {
      procedure: "models.saveProvider",
      input: (provider) => ({ id: provider.id, name: provider.name, kind: "offline", enabled: false }),
    },
    rest: {
      method: "PATCH",
      path: (provider) => `/api/v1/model-providers/${provider.id}`,
      body: () => ({ enabled: false }),
    },
  }),
  parityRow({
    name: "delete a model provider",
    permission: "models:manage",
    audit: { action: "model_provider.delete", targetType: "model_provider" },
    setup: newProvider,
    studio: { procedure: "models.deleteProvider", input: (provider) => ({ providerId: provider.id }) },
    rest: { method: "DELETE", path: (provider) => `/api/v1/model-providers/${provider.id}` },
  }),
  parityRow({
    name: "list model routes",
    permission: "bots:read",
    audit: null,
    studio: { procedure: "models.routes", input: () => undefined },
    rest: { method: "GET", path: () => "/api/v1/model-routes" },
  }),
  parityRow({
    name: "list what model calls can choose",
    permission: "bots:read",
    audit: null,
    studio: { procedure: "models.choices", input: () => undefined },
    rest: { method: "GET", path: () => "/api/v1/model-choices" },
  }),
  parityRow({
    name: "add a model route",
    permission: "models:manage",
    audit: { action: "model_route.create", targetType: "model_route" },
    studio: {
      procedure: "models.saveRoute",
      input: (_, fx) => ({ name: fx.unique("route"), policy: offlinePolicy }),
    },
    rest: {
      method: "POST",
      path: () => "/api/v1/model-routes",
      body: (_, fx) => ({ name: fx.unique("route"), policy: offlinePolicy }),
    },
  }),
  parityRow({
    name: "change a model route",
    permission: "models:manage",
    audit: { action: "model_route.update", targetType: "model_route" },
    setup: newRoute,
    studio: {
      procedure: "models.saveRoute",
      input: (route) => ({ id: route.id, name: route.name, description: "changed", policy: offlinePolicy }),
    },
    rest: {
      method: "PATCH",
      path: (route) => `/api/v1/model-routes/${route.id}`,
      body: () => ({ description: "changed" }),
    },
  }),
  parityRow({
    name: "delete a model route",
    permission: "models:manage",
    audit: { action: "model_route.delete", targetType: "model_route" },
    setup: newRoute,
    studio: { procedure: "models.deleteRoute", input: (route) => ({ routeId: route.id }) },
    rest: { method: "DELETE", path: (route) => `/api/v1/model-routes/${route.id}` },
  }),
  parityRow({
    name: "try a prompt through a route",
    permission: "flows:write",
    audit: null,
    setup: newRoute,
    studio: { procedure: "models.tryPrompt", input: (route) => ({ prompt: "Hello", route: route.name }) },
    rest: {
      method: "POST",
      path: (route) => `/api/v1/model-routes/${route.id}/try`,
      body: () => ({ prompt: "Hello" }),
    },
  }),
  parityRow({
    name: "read the routing preferences",
    permission: "bots:read",
    audit: null,
    studio: { procedure: "models.routing", input: () => undefined },
    rest: { method: "GET", path: () => "/api/v1/model-routing" },
  }),
  parityRow({
    name: "set the workspace's routing",
    permission: "models:manage",
    audit: { action: "model_routing.update", targetType: "tenant" },
    studio: {
      procedure: "models.saveTenantRouting",
      input: () => ({ defaultRoute: null, preferredProviders: [] }),
    },
    rest: {
      method: "PUT",
      path: () => "/api/v1/model-routing",
      body: () => ({ defaultRoute: null, preferredProviders: [] }),
    },
  }),
  parityRow({
    name: "set a bot's routing",
    permission: "models:manage",
    audit: { action: "bot_model_routing.update", targetType: "bot" },
    setup: newBot,
    studio: {
      procedure: "models.saveBotRouting",
      input: (bot) => ({ botId: bot.id, routeOverrides: [{ requested: "fast", route: "default" }] }),
    },
    rest: {
      method: "PUT",
      path: (bot) => `/api/v1/bots/${bot.id}/model-routing`,
      body: () => ({ routeOverrides: [{ requested: "fast", route: "default" }] }),
    },
  }),
  parityRow({
    name: "a bot's model status (the offline-model warning)",
    permission: "bots:read",
    audit: null,
    setup: newBot,
    studio: { procedure: "models.botStatus", input: (bot) => ({ botId: bot.id }) },
    rest: { method: "GET", path: (bot) => `/api/v1/bots/${bot.id}/model-status` },
  }),
  parityRow({
    name: "read the price table",
    permission: "bots:read",
    audit: null,
    studio: { procedure: "models.prices", input: () => undefined },
    rest: { method: "GET", path: () => "/api/v1/model-prices" },
  }),
  parityRow({
    name: "set a price",
    permission: "models:manage",
    audit: { action: "model_price.create", targetType: "model_price" },
    studio: {
      procedure: "models.savePrice",
      input: (_, fx) => ({
        provider: "openai",
        model: fx.unique("model"),
        inputPerMillion: 1,
        outputPerMillion: 2,
      }),
    },
    rest: {
      method: "PUT",
      path: () => "/api/v1/model-prices",
      body: (_, fx) => ({
        provider: "openai",
        model: fx.unique("model"),
        inputPerMillion: 1,
        outputPerMillion: 2,
      }),
    },
  }),
  parityRow({
    name: "remove a price",
    permission: "models:manage",
    audit: { action: "model_price.delete", targetType: "model_price" },
    setup: (fx) =>
      saveModelPrice(fx.owner, {
        provider: "openai",
        model: fx.unique("model"),
        inputPerMillion: 1,
        outputPerMillion: 2,
      }),
    studio: { procedure: "models.deletePrice", input: (price) => ({ priceId: price.id }) },
    rest: { method: "DELETE", path: (price) => `/api/v1/model-prices/${price.id}` },
  }),
  parityRow({
    name: "list budgets",
    permission: "bots:read",
    audit: null,
    studio: { procedure: "models.budgets", input: () => undefined },
    rest: { method: "GET", path: () => "/api/v1/model-budgets" },
  }),
  parityRow({
    name: "set a bot's budget",
    permission: "models:manage",
    audit: { action: "budget.create", targetType: "budget" },
    setup: newBot,
    studio: { procedure: "models.saveBudget", input: (bot) => ({ botId: bot.id, monthlyLimitUsd: 10 }) },
    rest: {
      method: "POST",
      path: () => "/api/v1/model-budgets",
      body: (bot) => ({ botId: bot.id, monthlyLimitUsd: 10 }),
    },
  }),
  parityRow({
    name: "delete a budget",
    permission: "models:manage",
    audit: { action: "budget.delete", targetType: "budget" },
    setup: async (fx) => saveModelBudget(fx.owner, { botId: (await newBot(fx)).id, monthlyLimitUsd: 5 }),
    studio: { procedure: "models.deleteBudget", input: (budget) => ({ budgetId: budget.id }) },
    rest: { method: "DELETE", path: (budget) => `/api/v1/model-budgets/${budget.id}` },
  }),
];
