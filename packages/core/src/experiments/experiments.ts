import {
  type CreatedExperiment,
  type CreateExperimentInput,
  createExperimentInputSchema,
  type ExperimentGoal,
  type ExperimentResults,
  type ExperimentVariant,
  type ExperimentView,
  experimentGoalSchema,
  experimentVariantSchema,
  type PromotedExperiment,
  type PromoteExperimentInput,
  promoteExperimentInputSchema,
  type UpdateExperimentInput,
  updateExperimentInputSchema,
} from "@parley/contract";
import type { Experiment, TenantClient } from "@parley/db";
import type { FlowDocument } from "@parley/flow-schema";
import { z } from "zod";
import { recordAudit } from "../audit";
import { loadBot } from "../bots/bots";
import { authorize, nowOf, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { compileForPublish, insertPublishedVersion, toVersionView } from "../flows/flows";
import { configChanged } from "../internal/config-cache";
import { isUuid, newId } from "../internal/ids";
import { checkDesign, entryFlowOf } from "./design";
import { countGoal } from "./goal-counts";
import { analyseExperiment } from "./statistics";

const storedVariants = z.array(experimentVariantSchema);

/** The stored variants of an experiment row (internal). */
export const variantsOf = (row: Pick<Experiment, "variants">): ExperimentVariant[] =>
  storedVariants.parse(row.variants);

/** The stored goal; rows made before goals existed count their `goalEvent`. */
function goalOf(row: Experiment): ExperimentGoal {
  const parsed = experimentGoalSchema.safeParse(row.goal);
  if (parsed.success) return parsed.data;
  return { type: "event", event: row.goalEvent ?? "conversation.ended" };
}

const toView = (row: Experiment): ExperimentView => ({
  id: row.id,
  botId: row.botId,
  flowId: row.flowId,
  name: row.name,
  description: row.description,
  status: row.status,
  variants: variantsOf(row),
  goal: goalOf(row),
  abSplitNodeId: row.abSplitNodeId,
  startedAt: row.startedAt?.toISOString() ?? null,
  endedAt: row.endedAt?.toISOString() ?? null,
  createdAt: row.createdAt.toISOString(),
});

async function loadExperiment(db: TenantClient, experimentId: string): Promise<Experiment> {
  const row = isUuid(experimentId) ? await db.experiment.findFirst({ where: { id: experimentId } }) : null;
  if (!row) throw notFound("experiment", experimentId);
  return row;
}

const userOf = (ctx: ServiceContext) => (ctx.actor.type === "user" ? ctx.actor.userId : null);

/**
 * Creates a draft experiment on a bot. The first variant is the control. Variants either all pin
 * published versions of the bot's entry flow, or name branches of an ab-split node of it (see
 * `checkDesign`). Needs `flows:publish`.
 * @throws ServiceError `forbidden`, `bot-not-found`, `bot-not-published`, `invalid-input`, `experiment-invalid`
 */
export async function createExperiment(
  ctx: ServiceContext,
  botId: string,
  input: CreateExperimentInput,
): Promise<CreatedExperiment> {
  authorize(ctx, "flows:publish");
  const data = parseInput(createExperimentInputSchema, input, "experiment");
  const bot = await loadBot(ctx, botId);
  const db = tenantDb(ctx);
  const checked = await checkDesign(db, bot.id, data);
  const created = await db.$transaction(async (tx) => {
    const row = await tx.experiment.create({
      data: {
        id: newId(),
        tenantId: ctx.tenantId,
        botId: bot.id,
        flowId: checked.flowId,
        name: data.name,
        description: data.description ?? "",
        variants: data.variants as never,
        goal: data.goal as never,
        goalEvent: data.goal.type === "event" ? data.goal.event : null,
        abSplitNodeId: checked.abSplitNodeId,
        createdById: userOf(ctx),
      },
    });
    await recordAudit(tx, ctx, {
      action: "experiment.create",
      targetType: "experiment",
      targetId: row.id,
      after: { name: row.name, botId: bot.id, variants: data.variants, goal: data.goal },
    });
    return row;
  });
  return { id: created.id, status: created.status };
}

/** A bot's experiments, newest first. Needs `analytics:read`. */
export async function listExperiments(ctx: ServiceContext, botId: string): Promise<ExperimentView[]> {
  authorize(ctx, "analytics:read");
  const bot = await loadBot(ctx, botId);
  const rows = await tenantDb(ctx).experiment.findMany({
    where: { botId: bot.id },
    orderBy: { createdAt: "desc" },
  });
  return rows.map(toView);
}

/** One experiment. Needs `analytics:read`. */
export async function getExperiment(ctx: ServiceContext, experimentId: string): Promise<ExperimentView> {
  authorize(ctx, "analytics:read");
  return toView(await loadExperiment(tenantDb(ctx), experimentId));
}

const notDraft = (row: Experiment, doing: string) =>
  new ServiceError(
    "conflict",
    "experiment-not-draft",
    `experiment ${row.id} is ${row.status}: only a draft can be ${doing}`,
  );

/**
 * Changes a draft experiment (name, description, variants, goal, ab-split node); the design is
 * checked again as a whole. Needs `flows:publish`.
 * @throws ServiceError `experiment-not-found`, `experiment-not-draft`, `experiment-invalid`
 */
export async function updateExperiment(
  ctx: ServiceContext,
  experimentId: string,
  input: UpdateExperimentInput,
): Promise<ExperimentView> {
  authorize(ctx, "flows:publish");
  const data = parseInput(updateExperimentInputSchema, input, "experiment change");
  const db = tenantDb(ctx);
  const row = await loadExperiment(db, experimentId);
  if (row.status !== "draft") throw notDraft(row, "changed");
  const variants = data.variants ?? variantsOf(row);
  const goal = data.goal ?? goalOf(row);
  const abSplitNodeId = data.abSplitNodeId === undefined ? row.abSplitNodeId : data.abSplitNodeId;
  // A stored ab-split node only carries over when the variants still name branches.
  const pinned = variants.some((variant) => variant.flowVersionId !== undefined);
  const checked = await checkDesign(db, row.botId, {
    variants,
    goal,
    abSplitNodeId: pinned ? null : abSplitNodeId,
  });
  const updated = await db.$transaction(async (tx) => {
    const next = await tx.experiment.update({
      where: { id: row.id },
      data: {
        ...(data.name === undefined ? {} : { name: data.name }),
        ...(data.description === undefined ? {} : { description: data.description }),
        variants: variants as never,
        goal: goal as never,
        goalEvent: goal.type === "event" ? goal.event : null,
        flowId: checked.flowId,
        abSplitNodeId: checked.abSplitNodeId,
      },
    });
    await recordAudit(tx, ctx, {
      action: "experiment.update",
      targetType: "experiment",
      targetId: row.id,
      before: { name: row.name, variants: row.variants, goal: row.goal },
      after: { name: next.name, variants, goal },
    });
    return next;
  });
  return toView(updated);
}

/**
 * Starts a draft experiment: from now on new conversations of the bot are assigned a variant.
 * One running experiment per bot. The design is checked again (versions or the ab-split node may
 * have changed since it was drafted). Needs `flows:publish`.
 * @throws ServiceError `experiment-not-draft`, `experiment-already-running` (409), `experiment-invalid`
 */
export async function startExperiment(ctx: ServiceContext, experimentId: string): Promise<ExperimentView> {
  authorize(ctx, "flows:publish");
  const db = tenantDb(ctx);
  const row = await loadExperiment(db, experimentId);
  if (row.status !== "draft") throw notDraft(row, "started");
  await checkDesign(db, row.botId, {
    variants: variantsOf(row),
    goal: goalOf(row),
    abSplitNodeId: row.abSplitNodeId,
  });
  const running = () =>
    new ServiceError(
      "conflict",
      "experiment-already-running",
      `bot ${row.botId} already runs an experiment: stop it before starting another`,
    );
  const started = await db
    .$transaction(async (tx) => {
      const other = await tx.experiment.findFirst({
        where: { botId: row.botId, status: "running" },
        select: { id: true },
      });
      if (other) throw running();
      const next = await tx.experiment.update({
        where: { id: row.id },
        data: { status: "running", startedAt: nowOf(ctx.deps) },
      });
      await recordAudit(tx, ctx, { action: "experiment.start", targetType: "experiment", targetId: row.id });
      return next;
    })
    .catch((error: unknown) => {
      // The partial unique index catches a concurrent start the check above missed.
      if ((error as { code?: string }).code === "P2002") throw running();
      throw error;
    });
  await configChanged(ctx.deps);
  return toView(started);
}

/**
 * Stops a running experiment: new conversations start on the bot's published flow again;
 * conversations already assigned keep their variant. Needs `flows:publish`.
 * @throws ServiceError `experiment-not-running` (409)
 */
export async function stopExperiment(ctx: ServiceContext, experimentId: string): Promise<ExperimentView> {
  authorize(ctx, "flows:publish");
  const db = tenantDb(ctx);
  const row = await loadExperiment(db, experimentId);
  if (row.status !== "running") {
    throw new ServiceError(
      "conflict",
      "experiment-not-running",
      `experiment ${row.id} is ${row.status}, not running`,
    );
  }
  const stopped = await db.$transaction(async (tx) => {
    const next = await tx.experiment.update({
      where: { id: row.id },
      data: { status: "stopped", endedAt: nowOf(ctx.deps) },
    });
    await recordAudit(tx, ctx, { action: "experiment.stop", targetType: "experiment", targetId: row.id });
    return next;
  });
  await configChanged(ctx.deps);
  return toView(stopped);
}

/**
 * Live results: per variant conversations, conversions, rate and Wilson 95% interval; the best
 * challenger against the control (p-value, probability to beat it), a winner when significant
 * and large enough, and the sample-size hint. Needs `analytics:read`.
 */
export async function experimentResults(
  ctx: ServiceContext,
  experimentId: string,
): Promise<ExperimentResults> {
  authorize(ctx, "analytics:read");
  const db = tenantDb(ctx);
  const row = await loadExperiment(db, experimentId);
  const counts = await countGoal(db, ctx.tenantId, row.id, goalOf(row));
  const analysis = analyseExperiment(
    variantsOf(row).map((variant) => ({
      key: variant.key,
      ...(counts.get(variant.key) ?? { conversations: 0, conversions: 0 }),
    })),
  );
  return { status: row.status, ...analysis };
}

/** The entry flow document with ab-split node `nodeId` sending everyone down `branch`. */
function withBranchOnly(document: FlowDocument, nodeId: string, branch: string): FlowDocument {
  return {
    ...document,
    nodes: document.nodes.map((node) =>
      node.kind === "ab-split" && node.id === nodeId
        ? {
            ...node,
            data: {
              ...node.data,
              variants: node.data.variants.map((variant) => ({
                ...variant,
                weight: variant.id === branch ? 100 : 0,
              })),
            },
          }
        : node,
    ),
  } as FlowDocument;
}

/**
 * Promotes a variant: publishes its pinned version's document as a new version of the bot's entry
 * flow (for an ab-split experiment: the current flow with the split sending everyone down the
 * variant's branch), stops the experiment, and audits both, in one transaction. The draft is left
 * as it is. Needs `flows:publish`.
 * @throws ServiceError `experiment-not-draft` (a draft has nothing to promote), `experiment-variant-not-found`, `flow-invalid`
 */
export async function promoteExperimentVariant(
  ctx: ServiceContext,
  experimentId: string,
  input: PromoteExperimentInput,
): Promise<PromotedExperiment> {
  authorize(ctx, "flows:publish");
  const { variantKey } = parseInput(promoteExperimentInputSchema, input, "promotion");
  const db = tenantDb(ctx);
  const row = await loadExperiment(db, experimentId);
  if (row.status === "draft") {
    throw new ServiceError(
      "conflict",
      "experiment-not-started",
      `experiment ${row.id} was never started: nothing to promote`,
    );
  }
  const variant = variantsOf(row).find((candidate) => candidate.key === variantKey);
  if (!variant) {
    throw new ServiceError(
      "invalid",
      "experiment-variant-not-found",
      `experiment ${row.id} has no variant "${variantKey}"`,
      {
        errors: [
          {
            path: "variantKey",
            message: `one of ${variantsOf(row)
              .map((v) => v.key)
              .join(", ")}`,
          },
        ],
      },
    );
  }
  const entry = await entryFlowOf(db, row.botId);
  let document: unknown;
  if (variant.flowVersionId) {
    const version = await db.flowVersion.findFirst({
      where: { id: variant.flowVersionId, status: "published" },
      select: { document: true },
    });
    if (!version) throw notFound("flow-version", variant.flowVersionId);
    document = version.document;
  } else {
    document = withBranchOnly(entry.document, row.abSplitNodeId ?? "", variant.key);
  }
  const compiled = await compileForPublish(
    db,
    row.botId,
    document,
    `variant ${variantKey} cannot be published`,
  );
  const note = `Promoted variant ${variantKey} of experiment "${row.name}"`;
  const result = await db.$transaction(async (tx) => {
    const version = await insertPublishedVersion(
      tx,
      ctx,
      { id: entry.flowId, botId: row.botId },
      compiled,
      note,
    );
    const stopped = await tx.experiment.update({
      where: { id: row.id },
      data: row.status === "running" ? { status: "stopped", endedAt: nowOf(ctx.deps) } : {},
    });
    await recordAudit(tx, ctx, {
      action: "experiment.promote",
      targetType: "experiment",
      targetId: row.id,
      before: { status: row.status, publishedVersionId: entry.publishedVersionId },
      after: { variantKey, flowId: entry.flowId, versionId: version.id, version: version.version },
    });
    return { experiment: toView(stopped), version: toVersionView(version) };
  });
  await configChanged(ctx.deps);
  return result;
}
