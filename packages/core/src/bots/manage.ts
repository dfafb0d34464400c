import { type BotSummary, type BotView, deleteInputSchema, duplicateBotInputSchema } from "@parley/contract";
import type { Bot, TenantClient } from "@parley/db";
import { generatePublishableKey } from "@parley/infra";
import type { z } from "zod";
import { recordAudit } from "../audit";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { configChanged } from "../internal/config-cache";
import { isUuid, newId } from "../internal/ids";
import { botModelStatus } from "../model-settings/offline-status";
import { loadBot, toBotView } from "./bots";

/** Loads a bot of the tenant, archived or not, or throws `bot-not-found` (internal). */
async function loadAnyBot(ctx: ServiceContext, botId: string): Promise<Bot> {
  const bot = isUuid(botId) ? await tenantDb(ctx).bot.findFirst({ where: { id: botId } }) : null;
  if (!bot) throw notFound("bot", botId);
  return bot;
}

/** `"<name> (copy)"`, kept within the 200 characters a name may have. */
export const copyName = (name: string): string => `${name.slice(0, 193)} (copy)`;

/**
 * Refuses a permanent deletion of something that has conversations unless `confirmName` repeats its
 * name exactly (the studio asks the user to type it): `confirmation-required`, on field `confirmName`.
 */
export function assertDeletionConfirmed(
  what: "bot" | "flow",
  name: string,
  conversations: number,
  confirmName: string | undefined,
): void {
  if (conversations === 0 || confirmName === name) return;
  const message = `the ${what} has ${conversations} conversation${conversations === 1 ? "" : "s"} that would be deleted with it; type its name "${name}" to confirm`;
  throw new ServiceError("invalid", "confirmation-required", message, {
    errors: [{ path: "confirmName", message }],
  });
}

/**
 * Copies a bot: its description, allowed origins, settings, widget theme and every live flow (the
 * draft, and the published version as the copy's version 1, so the copy answers like the original).
 * A new publishable key; not copied: channels (their platform accounts are bound to the original),
 * knowledge documents, experiments, triggers and secrets. Needs `bots:write`.
 *
 * @example
 * const copy = await duplicateBot(ctx, botId, { name: "Pizza bot (staging)" });
 */
export async function duplicateBot(
  ctx: ServiceContext,
  botId: string,
  input: z.input<typeof duplicateBotInputSchema> = {},
): Promise<BotView> {
  authorize(ctx, "bots:write");
  const data = parseInput(duplicateBotInputSchema, input, "bot duplicate");
  const source = await loadBot(ctx, botId);
  const db = tenantDb(ctx);
  const flows = await db.flow.findMany({
    where: { botId, archivedAt: null },
    orderBy: { createdAt: "asc" },
    include: { publishedVersion: true },
  });
  const view = await db.$transaction(async (tx) => {
    const bot = await tx.bot.create({
      data: {
        id: newId(),
        tenantId: ctx.tenantId,
        name: data.name ?? copyName(source.name),
        description: source.description,
        allowedOrigins: source.allowedOrigins,
        settings: source.settings as never,
        widgetTheme: source.widgetTheme as never,
        publishableKey: generatePublishableKey().key,
      },
    });
    let entryFlowId: string | null = null;
    for (const flow of flows) {
      const copyId = newId();
      await tx.flow.create({
        data: {
          id: copyId,
          tenantId: ctx.tenantId,
          botId: bot.id,
          name: flow.name,
          description: flow.description,
          draft: flow.draft as never,
          createdById: ctx.actor.type === "user" ? ctx.actor.userId : null,
          updatedById: ctx.actor.type === "user" ? ctx.actor.userId : null,
        },
      });
      if (flow.publishedVersion)
        await copyPublished(tx, ctx, bot.id, copyId, source.name, flow.publishedVersion);
      if (flow.id === source.entryFlowId) entryFlowId = copyId;
    }
    const created = entryFlowId ? await tx.bot.update({ where: { id: bot.id }, data: { entryFlowId } }) : bot;
    const view = toBotView(created);
    await recordAudit(tx, ctx, {
      action: "bot.duplicate",
      targetType: "bot",
      targetId: bot.id,
      after: { name: view.name, sourceBotId: botId, flows: flows.length },
    });
    return view;
  });
  await configChanged(ctx.deps);
  return view;
}

async function copyPublished(
  tx: TenantClient,
  ctx: ServiceContext,
  botId: string,
  flowId: string,
  sourceName: string,
  version: { document: unknown; machine: unknown; schemaVersion: number; version: number },
): Promise<void> {
  const copy = await tx.flowVersion.create({
    data: {
      id: newId(),
      tenantId: ctx.tenantId,
      botId,
      flowId,
      version: 1,
      status: "published",
      document: version.document as never,
      machine: version.machine as never,
      schemaVersion: version.schemaVersion,
      note: `Copied from ${sourceName}, version ${version.version}`.slice(0, 2_000),
      createdById: ctx.actor.type === "user" ? ctx.actor.userId : null,
      publishedById: ctx.actor.type === "user" ? ctx.actor.userId : null,
      publishedAt: new Date(),
    },
  });
  await tx.flow.update({ where: { id: flowId }, data: { publishedVersionId: copy.id } });
}

/** Brings an archived bot back: it is listed and answers again. Needs `bots:write`. */
export async function restoreBot(ctx: ServiceContext, botId: string): Promise<BotView> {
  authorize(ctx, "bots:write");
  const bot = await loadAnyBot(ctx, botId);
  if (!bot.archivedAt) return toBotView(bot);
  const view = await tenantDb(ctx).$transaction(async (tx) => {
    const restored = await tx.bot.update({ where: { id: botId }, data: { archivedAt: null } });
    await recordAudit(tx, ctx, { action: "bot.restore", targetType: "bot", targetId: botId });
    return toBotView(restored);
  });
  await configChanged(ctx.deps);
  return view;
}

/**
 * Deletes a bot (archived or not) for good, with its flows, versions, conversations, channels,
 * knowledge, experiments and analytics. A bot with conversations needs `confirmName` equal to its
 * name (`confirmation-required` otherwise). Needs `bots:write`; audited with the bot's name.
 */
export async function deleteBot(
  ctx: ServiceContext,
  botId: string,
  input: z.input<typeof deleteInputSchema> = {},
): Promise<void> {
  authorize(ctx, "bots:write");
  const data = parseInput(deleteInputSchema, input, "bot delete");
  const bot = await loadAnyBot(ctx, botId);
  const db = tenantDb(ctx);
  const conversations = await db.conversation.count({ where: { botId } });
  assertDeletionConfirmed("bot", bot.name, conversations, data.confirmName);
  // Analytics rows name the bot without a foreign key: removed here; the rest cascades from the bot.
  await db.$transaction(async (tx) => {
    await tx.analyticsEvent.deleteMany({ where: { botId } });
    await tx.analyticsRollup.deleteMany({ where: { botId } });
    await tx.analyticsPathRollup.deleteMany({ where: { botId } });
  });
  // Published versions are immutable to tenant code: the one bot is purged by the system client.
  await ctx.deps.db.purgeBot(ctx.tenantId, botId);
  await recordAudit(db, ctx, {
    action: "bot.delete",
    targetType: "bot",
    targetId: botId,
    before: { name: bot.name, conversations },
  });
  await configChanged(ctx.deps);
}

/** 00:00 UTC of the day `now` falls in. */
const startOfUtcDay = (now: Date) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

/**
 * A bot at a glance for its home: flows (live, published, archived), the entry flow's published
 * version, connected channels, conversations today / open / in handoff / total, knowledge documents,
 * experiments, triggers and the models its published flows call (with the offline-model warning).
 * Counts are exact; "today" starts at 00:00 UTC. Needs `bots:read`.
 */
export async function getBotSummary(ctx: ServiceContext, botId: string): Promise<BotSummary> {
  authorize(ctx, "bots:read");
  const bot = await loadBot(ctx, botId);
  const db = tenantDb(ctx);
  const today = startOfUtcDay(new Date());
  const [flows, channels, byStatus, startedToday, documents, experiments, triggers, models] =
    await Promise.all([
      db.flow.findMany({
        where: { botId },
        select: {
          id: true,
          name: true,
          archivedAt: true,
          publishedVersion: { select: { version: true, publishedAt: true } },
        },
      }),
      db.channelConfig.findMany({ where: { botId }, select: { channel: true, enabled: true } }),
      db.conversation.groupBy({ by: ["status"], where: { botId }, _count: { _all: true } }),
      db.conversation.count({ where: { botId, startedAt: { gte: today } } }),
      db.knowledgeDocument.groupBy({ by: ["status"], where: { botId }, _count: { _all: true } }),
      db.experiment.groupBy({ by: ["status"], where: { botId }, _count: { _all: true } }),
      db.botTrigger.count({ where: { botId } }),
      botModelStatus(ctx, botId),
    ]);
  const live = flows.filter((flow) => !flow.archivedAt);
  const entry = live.find((flow) => flow.id === bot.entryFlowId);
  const statusCount = (rows: { status: string; _count: { _all: number } }[], status?: string) =>
    rows
      .filter((row) => status === undefined || row.status === status)
      .reduce((n, row) => n + row._count._all, 0);
  const enabled = channels.filter((channel) => channel.enabled);
  return {
    bot: toBotView(bot),
    flows: {
      live: live.length,
      published: live.filter((flow) => flow.publishedVersion).length,
      archived: flows.length - live.length,
    },
    entryFlow: entry
      ? {
          id: entry.id,
          name: entry.name,
          publishedVersion: entry.publishedVersion
            ? {
                version: entry.publishedVersion.version,
                publishedAt: entry.publishedVersion.publishedAt?.toISOString() ?? null,
              }
            : null,
        }
      : null,
    channels: {
      connected: enabled.length,
      total: channels.length,
      types: [...new Set(enabled.map((channel) => channel.channel))].sort(),
    },
    conversations: {
      today: startedToday,
      open: statusCount(byStatus, "waiting") + statusCount(byStatus, "handoff"),
      handoff: statusCount(byStatus, "handoff"),
      total: statusCount(byStatus),
    },
    knowledge: { documents: statusCount(documents), ready: statusCount(documents, "ready") },
    experiments: { running: statusCount(experiments, "running"), total: statusCount(experiments) },
    triggers: { total: triggers },
    models,
  };
}
