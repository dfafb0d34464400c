import {
  deleteInputSchema,
  duplicateFlowInputSchema,
  type FlowView,
  updateFlowInputSchema,
} from "@parley/contract";
import type { Flow } from "@parley/db";
import type { z } from "zod";
import { recordAudit } from "../audit";
import { loadBot } from "../bots/bots";
import { assertDeletionConfirmed, copyName } from "../bots/manage";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { configChanged } from "../internal/config-cache";
import { isUuid, newId } from "../internal/ids";
import { actorUserId, loadFlow, toFlowView } from "./flows";

/** Loads a flow of a live bot, archived or not, or throws `flow-not-found` (internal). */
async function loadAnyFlow(ctx: ServiceContext, flowId: string): Promise<Flow> {
  const flow = isUuid(flowId) ? await tenantDb(ctx).flow.findFirst({ where: { id: flowId } }) : null;
  if (!flow) throw notFound("flow", flowId);
  await loadBot(ctx, flow.botId);
  return flow;
}

/** Refuses to archive or delete the flow new conversations start on (`flow-is-entry`). */
async function assertNotEntry(ctx: ServiceContext, flow: Flow, doing: string): Promise<void> {
  const bot = await loadBot(ctx, flow.botId);
  if (bot.entryFlowId !== flow.id) return;
  throw new ServiceError(
    "conflict",
    "flow-is-entry",
    `"${flow.name}" is the flow new conversations start on; make another flow the entry flow before you ${doing} it (or archive the bot)`,
  );
}

/** A fresh document id from `id`: the same stem with a new short suffix (subflows refer to flows by it). */
function copyDocumentId(id: unknown): string {
  const stem = (typeof id === "string" ? id : "flow").replace(/-copy-[a-z0-9]{4}$/, "").slice(0, 100);
  return `${stem}-copy-${Math.random().toString(36).slice(2, 6).padEnd(4, "0")}`;
}

/** Renames a flow or changes its description (the draft is untouched). Needs `flows:write`. */
export async function updateFlow(
  ctx: ServiceContext,
  flowId: string,
  input: z.input<typeof updateFlowInputSchema>,
): Promise<FlowView> {
  authorize(ctx, "flows:write");
  const data = parseInput(updateFlowInputSchema, input, "flow update");
  const db = tenantDb(ctx);
  const before = await loadFlow(db, flowId);
  await loadBot(ctx, before.botId);
  const view = await db.$transaction(async (tx) => {
    const flow = await tx.flow.update({
      where: { id: flowId },
      data: {
        ...(data.name === undefined ? {} : { name: data.name }),
        ...(data.description === undefined ? {} : { description: data.description }),
      },
    });
    await recordAudit(tx, ctx, {
      action: "flow.update",
      targetType: "flow",
      targetId: flowId,
      before: { name: before.name, description: before.description },
      after: { name: flow.name, description: flow.description },
    });
    return toFlowView(flow);
  });
  return view;
}

/**
 * Copies a flow's draft into a new flow of the same bot (a new document id, drafts only: the copy is
 * published when you publish it). Needs `flows:write`.
 */
export async function duplicateFlow(
  ctx: ServiceContext,
  flowId: string,
  input: z.input<typeof duplicateFlowInputSchema> = {},
): Promise<FlowView> {
  authorize(ctx, "flows:write");
  const data = parseInput(duplicateFlowInputSchema, input, "flow duplicate");
  const db = tenantDb(ctx);
  const source = await loadFlow(db, flowId);
  await loadBot(ctx, source.botId);
  const name = data.name ?? copyName(source.name);
  const draft = source.draft as Record<string, unknown>;
  return db.$transaction(async (tx) => {
    const flow = await tx.flow.create({
      data: {
        id: newId(),
        tenantId: ctx.tenantId,
        botId: source.botId,
        name,
        description: source.description,
        draft: { ...draft, id: copyDocumentId(draft.id), name } as never,
        createdById: actorUserId(ctx),
        updatedById: actorUserId(ctx),
      },
    });
    await recordAudit(tx, ctx, {
      action: "flow.duplicate",
      targetType: "flow",
      targetId: flow.id,
      after: { name, sourceFlowId: flowId, botId: source.botId },
    });
    return toFlowView(flow);
  });
}

/**
 * Archives a flow: hidden from the bot's flows, not offered as a subflow; conversations already in it
 * finish on their version. The entry flow cannot be archived (`flow-is-entry`). Needs `flows:write`.
 */
export async function archiveFlow(ctx: ServiceContext, flowId: string): Promise<FlowView> {
  authorize(ctx, "flows:write");
  const db = tenantDb(ctx);
  const flow = await loadFlow(db, flowId);
  await assertNotEntry(ctx, flow, "archive");
  const view = await db.$transaction(async (tx) => {
    const archived = await tx.flow.update({ where: { id: flowId }, data: { archivedAt: new Date() } });
    await recordAudit(tx, ctx, { action: "flow.archive", targetType: "flow", targetId: flowId });
    return toFlowView(archived);
  });
  await configChanged(ctx.deps);
  return view;
}

/** Brings an archived flow back to its bot's flows. Needs `flows:write`. */
export async function restoreFlow(ctx: ServiceContext, flowId: string): Promise<FlowView> {
  authorize(ctx, "flows:write");
  const flow = await loadAnyFlow(ctx, flowId);
  if (!flow.archivedAt) return toFlowView(flow);
  const view = await tenantDb(ctx).$transaction(async (tx) => {
    const restored = await tx.flow.update({ where: { id: flowId }, data: { archivedAt: null } });
    await recordAudit(tx, ctx, { action: "flow.restore", targetType: "flow", targetId: flowId });
    return toFlowView(restored);
  });
  await configChanged(ctx.deps);
  return view;
}

/**
 * Deletes a flow (archived or not) for good with its versions and the conversations that ran on it;
 * with conversations, `confirmName` must repeat its name (`confirmation-required`). The entry flow
 * cannot be deleted (`flow-is-entry`). Needs `flows:write`; audited with the flow's name.
 */
export async function deleteFlow(
  ctx: ServiceContext,
  flowId: string,
  input: z.input<typeof deleteInputSchema> = {},
): Promise<void> {
  authorize(ctx, "flows:write");
  const data = parseInput(deleteInputSchema, input, "flow delete");
  const flow = await loadAnyFlow(ctx, flowId);
  await assertNotEntry(ctx, flow, "delete");
  const db = tenantDb(ctx);
  const conversations = await db.conversation.count({ where: { flowId } });
  assertDeletionConfirmed("flow", flow.name, conversations, data.confirmName);
  // Published versions are immutable to tenant code: the one flow is purged by the system client.
  await ctx.deps.db.purgeFlow(ctx.tenantId, flowId);
  await recordAudit(db, ctx, {
    action: "flow.delete",
    targetType: "flow",
    targetId: flowId,
    before: { name: flow.name, botId: flow.botId, conversations },
  });
  await configChanged(ctx.deps);
}
