import { type BotView, createBotInputSchema, updateBotInputSchema } from "@parley/contract";
import type { Bot } from "@parley/db";
import { generatePublishableKey } from "@parley/infra";
import type { z } from "zod";
import { assertAnalyticsSettings } from "../analytics/settings";
import { recordAudit } from "../audit";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { configChanged } from "../internal/config-cache";
import { isUuid, newId } from "../internal/ids";
import { assertSettingsAllowed } from "./guarded-settings";

/** Maps a bot row to its view (internal). */
export function toBotView(bot: Bot): BotView {
  return {
    id: bot.id,
    name: bot.name,
    description: bot.description,
    allowedOrigins: bot.allowedOrigins,
    // Only while it is still refused: once the site is added, there is nothing left to offer.
    refusedOrigin:
      bot.lastRefusedOrigin && bot.lastRefusedAt && !bot.allowedOrigins.includes(bot.lastRefusedOrigin)
        ? { origin: bot.lastRefusedOrigin, at: bot.lastRefusedAt.toISOString() }
        : null,
    publishableKey: bot.publishableKey,
    settings: bot.settings as Record<string, unknown>,
    widgetTheme: bot.widgetTheme as Record<string, unknown>,
    entryFlowId: bot.entryFlowId,
    archivedAt: bot.archivedAt?.toISOString() ?? null,
    createdAt: bot.createdAt.toISOString(),
    updatedAt: bot.updatedAt.toISOString(),
  };
}

/** Loads a live (not archived) bot of the tenant or throws `bot-not-found` (internal). */
export async function loadBot(ctx: ServiceContext, botId: string): Promise<Bot> {
  if (ctx.actor.type === "widget" && ctx.actor.botId !== botId) throw notFound("bot", botId);
  const bot = isUuid(botId)
    ? await tenantDb(ctx).bot.findFirst({ where: { id: botId, archivedAt: null } })
    : null;
  if (!bot) throw notFound("bot", botId);
  return bot;
}

/**
 * Creates a bot with a fresh publishable key (`pk_...`, public by design, limited to the bot's
 * allowed origins). Needs `bots:write`.
 */
export async function createBot(
  ctx: ServiceContext,
  input: z.input<typeof createBotInputSchema>,
): Promise<BotView> {
  authorize(ctx, "bots:write");
  const data = parseInput(createBotInputSchema, input, "bot");
  assertSettingsAllowed(ctx, {}, data.settings);
  assertAnalyticsSettings(data.settings);
  const db = tenantDb(ctx);
  return db.$transaction(async (tx) => {
    const bot = await tx.bot.create({
      data: {
        id: newId(),
        tenantId: ctx.tenantId,
        name: data.name,
        description: data.description ?? "",
        allowedOrigins: data.allowedOrigins ?? [],
        settings: (data.settings ?? {}) as never,
        widgetTheme: (data.widgetTheme ?? {}) as never,
        publishableKey: generatePublishableKey().key,
      },
    });
    const view = toBotView(bot);
    await recordAudit(tx, ctx, { action: "bot.create", targetType: "bot", targetId: bot.id, after: view });
    return view;
  });
}

/** Lists the tenant's live bots (or, with `status: "archived"`, the archived ones), newest first. Needs `bots:read`. */
export async function listBots(
  ctx: ServiceContext,
  options: { status?: "live" | "archived" } = {},
): Promise<BotView[]> {
  authorize(ctx, "bots:read");
  const bots = await tenantDb(ctx).bot.findMany({
    where: { archivedAt: options.status === "archived" ? { not: null } : null },
    orderBy: { createdAt: "desc" },
  });
  return bots.map(toBotView);
}

/** One bot. Needs `bots:read`. */
export async function getBot(ctx: ServiceContext, botId: string): Promise<BotView> {
  authorize(ctx, "bots:read");
  return toBotView(await loadBot(ctx, botId));
}

/** `patch` over `current`, top-level keys only; `null` removes a key. */
function mergeSettings(
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/**
 * Changes a bot's settings (audited with before/after). Needs `bots:write`; changing a settings key
 * a higher permission guards (`settings.models`: `models:manage`) needs that permission too.
 */
export async function updateBot(
  ctx: ServiceContext,
  botId: string,
  input: z.input<typeof updateBotInputSchema>,
): Promise<BotView> {
  authorize(ctx, "bots:write");
  const data = parseInput(updateBotInputSchema, input, "bot update");
  const before = await loadBot(ctx, botId);
  assertSettingsAllowed(ctx, before.settings as Record<string, unknown>, data.settings);
  assertAnalyticsSettings(data.settings);
  const db = tenantDb(ctx);
  if (data.entryFlowId) {
    const flow = await db.flow.findFirst({
      where: { id: data.entryFlowId, botId, archivedAt: null },
      select: { id: true },
    });
    if (!flow)
      throw new ServiceError(
        "invalid",
        "flow-not-found",
        `flow ${data.entryFlowId} is not a flow of this bot`,
      );
  }
  try {
    return await db.$transaction(async (tx) => {
      const bot = await tx.bot.update({
        where: { id: botId },
        data: {
          ...(data.name === undefined ? {} : { name: data.name }),
          ...(data.description === undefined ? {} : { description: data.description }),
          ...(data.allowedOrigins === undefined ? {} : { allowedOrigins: data.allowedOrigins }),
          // Merged key by key, so a caller that sends some settings keeps the others (the studio's
          // model routing lives under `models`); a key set to null is cleared.
          ...(data.settings === undefined
            ? {}
            : {
                settings: mergeSettings(before.settings as Record<string, unknown>, data.settings) as never,
              }),
          ...(data.widgetTheme === undefined ? {} : { widgetTheme: data.widgetTheme as never }),
          ...(data.entryFlowId === undefined ? {} : { entryFlowId: data.entryFlowId }),
        },
      });
      const view = toBotView(bot);
      await recordAudit(tx, ctx, {
        action: "bot.update",
        targetType: "bot",
        targetId: botId,
        before: toBotView(before),
        after: view,
      });
      return view;
    });
  } finally {
    // Cached keys, origins and entry flows: this process at once, the others within a second.
    await configChanged(ctx.deps);
  }
}

/** Archives a bot: it disappears from lists and stops answering. Needs `bots:write`. */
export async function archiveBot(ctx: ServiceContext, botId: string): Promise<void> {
  authorize(ctx, "bots:write");
  await loadBot(ctx, botId);
  await tenantDb(ctx).$transaction(async (tx) => {
    await tx.bot.update({ where: { id: botId }, data: { archivedAt: new Date() } });
    await recordAudit(tx, ctx, { action: "bot.archive", targetType: "bot", targetId: botId });
  });
  await configChanged(ctx.deps);
}

/** Replaces the bot's publishable key (the old one stops working at once). Needs `bots:write`. */
export async function rotatePublishableKey(ctx: ServiceContext, botId: string): Promise<BotView> {
  authorize(ctx, "bots:write");
  await loadBot(ctx, botId);
  const view = await tenantDb(ctx).$transaction(async (tx) => {
    const bot = await tx.bot.update({
      where: { id: botId },
      data: { publishableKey: generatePublishableKey().key },
    });
    await recordAudit(tx, ctx, { action: "bot.rotate_publishable_key", targetType: "bot", targetId: botId });
    return toBotView(bot);
  });
  await configChanged(ctx.deps);
  return view;
}
