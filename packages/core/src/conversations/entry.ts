import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { configCache } from "../internal/config-cache";
import { isUuid } from "../internal/ids";

/** A bot's entry flow and its published version. */
interface Entry {
  flowId: string | null;
  publishedVersionId: string | null;
}

/**
 * The bot's entry flow and published version, kept in process memory: publishing, archiving or
 * changing a bot's entry flow moves the configuration revision, so every process sees it within
 * a second (internal). Throws `bot-not-found` for an unknown, archived or foreign bot.
 */
export async function entryOf(ctx: ServiceContext, botId: string): Promise<Entry> {
  if (ctx.actor.type === "widget" && ctx.actor.botId !== botId) throw notFound("bot", botId);
  if (!isUuid(botId)) throw notFound("bot", botId);
  const cache = configCache<Entry | null>(ctx.deps, "bot-entries", { ttlMs: 5 * 60_000, maxEntries: 10_000 });
  const entry = await cache.get(
    `${ctx.tenantId}:${botId}`,
    async () => {
      const db = ctx.deps.db.forTenant(ctx.tenantId);
      const bot = await db.bot.findFirst({
        where: { id: botId, archivedAt: null },
        select: { entryFlowId: true },
      });
      if (!bot) return null;
      const flow = bot.entryFlowId
        ? await db.flow.findFirst({
            where: { id: bot.entryFlowId, archivedAt: null },
            select: { id: true, publishedVersionId: true },
          })
        : null;
      return { flowId: flow?.id ?? null, publishedVersionId: flow?.publishedVersionId ?? null };
    },
    (value) => value !== null,
  );
  if (!entry) throw notFound("bot", botId);
  return entry;
}

/**
 * A given flow of the bot and its published version, as {@link entryOf} answers for the entry flow
 * (internal: triggers start conversations in a flow of their choice). Throws `flow-not-found` for a
 * flow of another bot, an archived or unknown one.
 */
export async function flowEntryOf(ctx: ServiceContext, botId: string, flowId: string): Promise<Entry> {
  await entryOf(ctx, botId);
  const flow = isUuid(flowId)
    ? await ctx.deps.db.forTenant(ctx.tenantId).flow.findFirst({
        where: { id: flowId, botId, archivedAt: null },
        select: { id: true, publishedVersionId: true },
      })
    : null;
  if (!flow) throw notFound("flow", flowId);
  return { flowId: flow.id, publishedVersionId: flow.publishedVersionId };
}
