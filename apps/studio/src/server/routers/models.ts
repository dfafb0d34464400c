import { getBot, recordAudit, ServiceError } from "@parley/core";
import {
  DEFAULT_PRICES,
  modelPriceSchema,
  type ProviderSummary,
  saveBotRoutingSchema,
  saveBudgetSchema,
  saveProviderSchema,
  saveRouteSchema,
  saveTenantRoutingSchema,
} from "@parley/models";
import { z } from "zod";
import { roleAllows } from "../access";
import { serviceContext } from "../core-bridge";
import { providerKeyHints } from "../models/key-hints";
import {
  assertDowngradeRoute,
  assertProviderNameFree,
  assertRouteNameFree,
  assertTargetsKnown,
  existingBudget,
  existingPrice,
  existingProvider,
  existingRoute,
  routesUsingProvider,
} from "../models/model-checks";
import { withModelErrors } from "../models/model-errors";
import {
  botsUsingRoute,
  inUse,
  preferencesNamingProvider,
  routesRequestedByFlows,
} from "../models/routing-checks";
import { idSchema, router, tenantProcedure } from "../trpc";

/** A provider as the audit log records it: never the key, not even its last characters. */
function auditedProvider(provider: ProviderSummary | undefined) {
  if (!provider) return undefined;
  const { hasApiKey, ...rest } = provider;
  return { ...rest, keyStored: hasApiKey };
}

/** What "try it" sends: one prompt, through a route, optionally accounted to a bot. */
const tryInputSchema = z.object({
  prompt: z.string().trim().min(1, "type a prompt").max(8_000),
  /** Absent: the default route (the bot's when one is given, else the workspace's). */
  route: z.string().min(1).max(128).optional(),
  botId: idSchema.optional(),
});

/**
 * The models page: providers and keys (stored encrypted through the vault, never returned),
 * ordered routes, routing preferences (the workspace's and per-bot overrides), budgets, the price
 * table, and "try it". Reading needs `bots:read` (everyone);
 * editing `models:manage` (owner, admin); trying a prompt `flows:write` (editors already spend
 * model calls in the designer's test chat). Every change is audited without secrets.
 */
export const modelsRouter = router({
  providers: tenantProcedure("bots:read").query(async ({ ctx }) => {
    const providers = await ctx.models.admin.listProviders(ctx.tenant.id);
    // The key's last characters only for those who manage keys.
    const hints = roleAllows(ctx.tenant.role, "models:manage")
      ? await providerKeyHints(ctx.tenant.db, ctx.models.vault, ctx.tenant.id)
      : new Map<string, string>();
    return providers.map((provider) => ({
      ...provider,
      keyHint: provider.hasApiKey ? (hints.get(provider.id) ?? "set") : null,
    }));
  }),

  saveProvider: tenantProcedure("models:manage")
    .input(saveProviderSchema)
    .mutation(async ({ ctx, input }) => {
      const { db, id: tenantId } = ctx.tenant;
      const before = input.id ? await existingProvider(db, input.id) : undefined;
      await assertProviderNameFree(db, input.name, input.id);
      if (before && before.name !== input.name) {
        const users = await routesUsingProvider(db, before.name);
        if (users.length > 0)
          throw new ServiceError(
            "conflict",
            "model-provider-in-use",
            `routes ${users.join(", ")} use this provider by name; change them before renaming it`,
            { errors: [{ path: "name", message: `used by route(s) ${users.join(", ")}` }] },
          );
        const preferring = await preferencesNamingProvider(db, ctx.models.admin, tenantId, before.name);
        if (preferring.length > 0)
          throw inUse(
            "model-provider-preferred",
            `preferred by ${preferring.join(", ")}; change their preferred providers before renaming it`,
            true,
          );
      }
      const previous = before
        ? (await ctx.models.admin.listProviders(tenantId)).find((p) => p.id === before.id)
        : undefined;
      const saved = await withModelErrors("model-provider", () =>
        ctx.models.admin.saveProvider(tenantId, input),
      );
      await recordAudit(db, serviceContext(ctx), {
        action: before ? "model_provider.update" : "model_provider.create",
        targetType: "model_provider",
        targetId: saved.id,
        ...(previous ? { before: auditedProvider(previous) } : {}),
        after: {
          ...auditedProvider(saved),
          keyChange: input.apiKey === undefined ? "kept" : input.apiKey === null ? "removed" : "replaced",
        },
      });
      return saved;
    }),

  deleteProvider: tenantProcedure("models:manage")
    .input(z.object({ providerId: idSchema }))
    .mutation(async ({ ctx, input }) => {
      const { db, id: tenantId } = ctx.tenant;
      const row = await existingProvider(db, input.providerId);
      const users = await routesUsingProvider(db, row.name);
      if (users.length > 0)
        throw new ServiceError(
          "conflict",
          "model-provider-in-use",
          `provider "${row.name}" is used by route(s) ${users.join(", ")}; remove it from them first`,
        );
      const preferring = await preferencesNamingProvider(db, ctx.models.admin, tenantId, row.name);
      if (preferring.length > 0)
        throw inUse(
          "model-provider-preferred",
          `provider "${row.name}" is preferred by ${preferring.join(", ")}; remove it from their preferred providers first`,
          false,
        );
      const previous = (await ctx.models.admin.listProviders(tenantId)).find((p) => p.id === row.id);
      await ctx.models.admin.deleteProvider(tenantId, row.id);
      await recordAudit(db, serviceContext(ctx), {
        action: "model_provider.delete",
        targetType: "model_provider",
        targetId: row.id,
        before: auditedProvider(previous),
      });
      return { ok: true };
    }),

  routes: tenantProcedure("bots:read").query(({ ctx }) => ctx.models.admin.listRoutes(ctx.tenant.id)),

  /**
   * What "try it" and the route editor can choose from: every route calls may name (the
   * workspace's and the environment's `default`), the default, and the providers in effect.
   */
  choices: tenantProcedure("bots:read").query(async ({ ctx }) => {
    const own = new Set((await ctx.models.admin.listProviders(ctx.tenant.id)).map((p) => p.name));
    const config = await withModelErrors("model-route", () =>
      ctx.models.orchestrator.configFor(ctx.tenant.id),
    );
    return {
      routes: Object.keys(config.routes).sort(),
      defaultRoute: config.defaultRoute ?? null,
      providers: config.providers
        .filter((provider) => provider.enabled)
        .map((provider) => ({
          name: provider.name,
          kind: provider.kind,
          origin: own.has(provider.name) ? ("workspace" as const) : ("environment" as const),
        })),
    };
  }),

  saveRoute: tenantProcedure("models:manage")
    .input(saveRouteSchema)
    .mutation(async ({ ctx, input }) => {
      const { db, id: tenantId } = ctx.tenant;
      const before = input.id ? await existingRoute(db, input.id) : undefined;
      await assertRouteNameFree(db, input.name, input.id);
      if (before && before.name !== input.name) {
        const bots = await botsUsingRoute(db, ctx.models.admin, tenantId, before.name);
        if (bots.length > 0)
          throw inUse(
            "model-route-in-use",
            `bot(s) ${bots.join(", ")} use this route by name; change their routing before renaming it`,
            true,
          );
      }
      await assertTargetsKnown(db, input.policy);
      const saved = await withModelErrors("model-route", () => ctx.models.admin.saveRoute(tenantId, input));
      if (!saved)
        throw new ServiceError("conflict", "model-route-vanished", "the route was deleted while saving");
      await recordAudit(db, serviceContext(ctx), {
        action: before ? "model_route.update" : "model_route.create",
        targetType: "model_route",
        targetId: saved.id,
        ...(before
          ? {
              before: {
                name: before.name,
                description: before.description,
                policy: before.policy,
                isDefault: before.isDefault,
              },
            }
          : {}),
        after: saved,
      });
      return saved;
    }),

  deleteRoute: tenantProcedure("models:manage")
    .input(z.object({ routeId: idSchema }))
    .mutation(async ({ ctx, input }) => {
      const { db, id: tenantId } = ctx.tenant;
      const row = await existingRoute(db, input.routeId);
      const budgets = await db.budget.count({ where: { downgradeRouteId: row.id } });
      if (budgets > 0)
        throw new ServiceError(
          "conflict",
          "model-route-in-use",
          `route "${row.name}" is the downgrade route of ${budgets} budget(s); change them first`,
        );
      const bots = await botsUsingRoute(db, ctx.models.admin, tenantId, row.name);
      if (bots.length > 0)
        throw inUse(
          "model-route-in-use",
          `route "${row.name}" is used by the routing of bot(s) ${bots.join(", ")}; change it first`,
          false,
        );
      await ctx.models.admin.deleteRoute(tenantId, row.id);
      await recordAudit(db, serviceContext(ctx), {
        action: "model_route.delete",
        targetType: "model_route",
        targetId: row.id,
        before: { name: row.name, policy: row.policy, isDefault: row.isDefault },
      });
      return { ok: true };
    }),

  /**
   * Routing choices: the workspace's default route and preferred providers, and each bot's default
   * route, route overrides and preferred providers, with the route names its flows ask for.
   */
  routing: tenantProcedure("bots:read").query(async ({ ctx }) => {
    const { db, id: tenantId } = ctx.tenant;
    const [workspace, bots, requested] = await Promise.all([
      ctx.models.admin.getTenantRouting(tenantId),
      ctx.models.admin.listBotRouting(tenantId),
      routesRequestedByFlows(db),
    ]);
    return {
      workspace,
      bots: bots.map((bot) => ({ ...bot, requestedByFlows: requested.get(bot.botId) ?? [] })),
    };
  }),

  saveTenantRouting: tenantProcedure("models:manage")
    .input(saveTenantRoutingSchema)
    .mutation(async ({ ctx, input }) => {
      const { db, id: tenantId } = ctx.tenant;
      const before = await ctx.models.admin.getTenantRouting(tenantId);
      const saved = await withModelErrors("model-routing", () =>
        ctx.models.admin.saveTenantRouting(tenantId, input),
      );
      await recordAudit(db, serviceContext(ctx), {
        action: "model_routing.update",
        targetType: "tenant",
        targetId: tenantId,
        before,
        after: saved,
      });
      return saved;
    }),

  /** One bot's routing; a bot of another workspace (or none) is NOT_FOUND. */
  saveBotRouting: tenantProcedure("models:manage")
    .input(saveBotRoutingSchema.extend({ botId: idSchema }))
    .mutation(async ({ ctx, input }) => {
      const { db, id: tenantId } = ctx.tenant;
      const { botId, ...routing } = input;
      await getBot(serviceContext(ctx), botId);
      const before = await ctx.models.admin.getBotRouting(tenantId, botId);
      const saved = await withModelErrors("bot-routing", () =>
        ctx.models.admin.saveBotRouting(tenantId, botId, routing),
      );
      await recordAudit(db, serviceContext(ctx), {
        action: "bot_model_routing.update",
        targetType: "bot",
        targetId: botId,
        ...(before ? { before } : {}),
        after: saved,
      });
      return saved;
    }),

  /** The workspace's own prices, and the built-in list prices they override. */
  prices: tenantProcedure("bots:read").query(async ({ ctx }) => ({
    prices: await ctx.models.admin.listPrices(ctx.tenant.id),
    defaults: DEFAULT_PRICES.map((price) => ({ ...price })),
  })),

  savePrice: tenantProcedure("models:manage")
    .input(modelPriceSchema)
    .mutation(async ({ ctx, input }) => {
      const { db, id: tenantId } = ctx.tenant;
      const before = await db.modelPrice.findFirst({
        where: { provider: input.provider, model: input.model },
      });
      const saved = await withModelErrors("price", () => ctx.models.admin.savePrice(tenantId, input));
      if (!saved) throw new ServiceError("conflict", "price-vanished", "the price was deleted while saving");
      await recordAudit(db, serviceContext(ctx), {
        action: before ? "model_price.update" : "model_price.create",
        targetType: "model_price",
        targetId: saved.id,
        ...(before
          ? {
              before: {
                provider: before.provider,
                model: before.model,
                inputPerMillion: Number(before.inputPerMillion),
                outputPerMillion: Number(before.outputPerMillion),
              },
            }
          : {}),
        after: saved,
      });
      return saved;
    }),

  deletePrice: tenantProcedure("models:manage")
    .input(z.object({ priceId: idSchema }))
    .mutation(async ({ ctx, input }) => {
      const { db, id: tenantId } = ctx.tenant;
      const row = await existingPrice(db, input.priceId);
      await ctx.models.admin.deletePrice(tenantId, row.id);
      await recordAudit(db, serviceContext(ctx), {
        action: "model_price.delete",
        targetType: "model_price",
        targetId: row.id,
        before: {
          provider: row.provider,
          model: row.model,
          inputPerMillion: Number(row.inputPerMillion),
          outputPerMillion: Number(row.outputPerMillion),
        },
      });
      return { ok: true };
    }),

  /** The workspace's budget and the bots' budgets, with this month's spend. */
  budgets: tenantProcedure("bots:read").query(({ ctx }) =>
    ctx.models.admin.listBudgets(ctx.tenant.id, ctx.now()),
  ),

  saveBudget: tenantProcedure("models:manage")
    .input(saveBudgetSchema)
    .mutation(async ({ ctx, input }) => {
      const { db, id: tenantId } = ctx.tenant;
      if (input.botId) await getBot(serviceContext(ctx), input.botId);
      await assertDowngradeRoute(db, input);
      const now = ctx.now();
      const before = (await ctx.models.admin.listBudgets(tenantId, now)).find((b) => b.botId === input.botId);
      const saved = await withModelErrors("budget", () => ctx.models.admin.saveBudget(tenantId, input, now));
      if (!saved)
        throw new ServiceError("conflict", "budget-vanished", "the budget was deleted while saving");
      await recordAudit(db, serviceContext(ctx), {
        action: before ? "budget.update" : "budget.create",
        targetType: "budget",
        targetId: saved.id,
        ...(before ? { before } : {}),
        after: saved,
      });
      return saved;
    }),

  deleteBudget: tenantProcedure("models:manage")
    .input(z.object({ budgetId: idSchema }))
    .mutation(async ({ ctx, input }) => {
      const { db, id: tenantId } = ctx.tenant;
      const row = await existingBudget(db, input.budgetId);
      const before = (await ctx.models.admin.listBudgets(tenantId, ctx.now())).find((b) => b.id === row.id);
      await ctx.models.admin.deleteBudget(tenantId, row.id);
      await recordAudit(db, serviceContext(ctx), {
        action: "budget.delete",
        targetType: "budget",
        targetId: row.id,
        before,
      });
      return { ok: true };
    }),

  /**
   * Sends one prompt through the routing layer (budgets, cache, fallbacks and accounting apply as
   * for a bot's calls) and says which provider and model answered, tokens, cost, latency and the
   * fallbacks tried. With no keys configured the offline provider answers.
   */
  tryPrompt: tenantProcedure("flows:write")
    .input(tryInputSchema)
    .mutation(async ({ ctx, input }) => {
      if (input.botId) await getBot(serviceContext(ctx), input.botId);
      return withModelErrors("model-route", () => ctx.models.admin.tryPrompt(ctx.tenant.id, input));
    }),
});
