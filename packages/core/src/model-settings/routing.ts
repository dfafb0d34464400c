import {
  type BotRouting,
  saveBotRoutingSchema,
  saveTenantRoutingSchema,
  type TenantRouting,
} from "@parley/contract";
import type { z } from "zod";
import { recordAudit } from "../audit";
import { loadBot } from "../bots/bots";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput } from "../errors";
import { withModelErrors } from "./model-errors";
import { modelParts } from "./model-services";
import { routesRequestedByFlows } from "./routing-checks";

/** The workspace's routing and each bot's, with the route names the bot's flows ask for. */
export interface ModelRoutingView {
  workspace: TenantRouting;
  bots: Array<BotRouting & { requestedByFlows: string[] }>;
}

/**
 * Routing choices: the workspace's default route and preferred providers, and each bot's default
 * route, route overrides and preferred providers, with the route names its flows ask for. Needs
 * `bots:read`.
 */
export async function getModelRouting(ctx: ServiceContext): Promise<ModelRoutingView> {
  authorize(ctx, "bots:read");
  const { admin } = modelParts(ctx.deps);
  const [workspace, bots, requested] = await Promise.all([
    admin.getTenantRouting(ctx.tenantId),
    admin.listBotRouting(ctx.tenantId),
    routesRequestedByFlows(tenantDb(ctx)),
  ]);
  return {
    workspace,
    bots: bots.map((bot) => ({ ...bot, requestedByFlows: requested.get(bot.botId) ?? [] })),
  };
}

/** The workspace's routing preferences (REST `GET /api/v1/model-routing`). Needs `bots:read`. */
export async function getTenantModelRouting(ctx: ServiceContext): Promise<TenantRouting> {
  authorize(ctx, "bots:read");
  return modelParts(ctx.deps).admin.getTenantRouting(ctx.tenantId);
}

/**
 * Sets the workspace's default route and preferred providers; every problem is reported by field.
 * Needs `models:manage`; audited.
 */
export async function saveTenantModelRouting(
  ctx: ServiceContext,
  input: z.input<typeof saveTenantRoutingSchema>,
): Promise<TenantRouting> {
  authorize(ctx, "models:manage");
  const routing = parseInput(saveTenantRoutingSchema, input, "routing");
  const { admin } = modelParts(ctx.deps);
  const before = await admin.getTenantRouting(ctx.tenantId);
  const saved = await withModelErrors("model-routing", () => admin.saveTenantRouting(ctx.tenantId, routing));
  await recordAudit(tenantDb(ctx), ctx, {
    action: "model_routing.update",
    targetType: "tenant",
    targetId: ctx.tenantId,
    before,
    after: saved,
  });
  return saved;
}

/** One bot's routing choices; a bot of another workspace (or none) is not found. Needs `bots:read`. */
export async function getBotModelRouting(ctx: ServiceContext, botId: string): Promise<BotRouting> {
  authorize(ctx, "bots:read");
  await loadBot(ctx, botId);
  const routing = await modelParts(ctx.deps).admin.getBotRouting(ctx.tenantId, botId);
  if (!routing) throw notFound("bot", botId);
  return routing;
}

/**
 * Sets one bot's default route, route overrides and preferred providers; every problem is reported
 * by field; a bot of another workspace (or none) is not found. Needs `models:manage`; audited.
 */
export async function saveBotModelRouting(
  ctx: ServiceContext,
  botId: string,
  input: z.input<typeof saveBotRoutingSchema>,
): Promise<BotRouting> {
  authorize(ctx, "models:manage");
  const routing = parseInput(saveBotRoutingSchema, input, "bot routing");
  await loadBot(ctx, botId);
  const { admin } = modelParts(ctx.deps);
  const before = await admin.getBotRouting(ctx.tenantId, botId);
  const saved = await withModelErrors("bot-routing", () =>
    admin.saveBotRouting(ctx.tenantId, botId, routing),
  );
  await recordAudit(tenantDb(ctx), ctx, {
    action: "bot_model_routing.update",
    targetType: "bot",
    targetId: botId,
    ...(before ? { before } : {}),
    after: saved,
  });
  return saved;
}
