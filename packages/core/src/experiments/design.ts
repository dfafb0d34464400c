import type { ExperimentGoal, ExperimentVariant } from "@parley/contract";
import type { TenantClient } from "@parley/db";
import type { FlowDocument } from "@parley/flow-schema";
import { type FieldIssue, ServiceError } from "../errors";
import { isUuid } from "../internal/ids";

/** What an experiment compares, once checked against the bot's flows (internal). */
export interface CheckedDesign {
  flowId: string;
  abSplitNodeId: string | null;
}

/** The parts of a design that are checked together. */
export interface Design {
  variants: readonly ExperimentVariant[];
  goal: ExperimentGoal;
  abSplitNodeId?: string | null | undefined;
}

const refuse = (message: string, errors: FieldIssue[]): never => {
  throw new ServiceError("invalid", "experiment-invalid", message, { errors });
};

/** The bot's entry flow and the document of its published version, or a `conflict` (internal). */
export async function entryFlowOf(
  db: TenantClient,
  botId: string,
): Promise<{ flowId: string; publishedVersionId: string; document: FlowDocument }> {
  const bot = await db.bot.findFirst({
    where: { id: botId, archivedAt: null },
    select: { entryFlowId: true },
  });
  const flow = bot?.entryFlowId
    ? await db.flow.findFirst({
        where: { id: bot.entryFlowId, archivedAt: null },
        select: { id: true, publishedVersion: { select: { id: true, document: true } } },
      })
    : null;
  if (!flow?.publishedVersion) {
    throw new ServiceError(
      "conflict",
      "bot-not-published",
      `bot ${botId} has no published entry flow to experiment on`,
    );
  }
  return {
    flowId: flow.id,
    publishedVersionId: flow.publishedVersion.id,
    document: flow.publishedVersion.document as unknown as FlowDocument,
  };
}

/**
 * Checks an experiment's design against the bot (internal): variant keys are unique; either every
 * variant pins a published version of the bot's entry flow, or none does and the keys name the
 * branches of an ab-split node of the entry flow's published version (`abSplitNodeId`, or the
 * flow's only ab-split node); a node goal names a node of the flow the variants run. Every
 * problem names its field (`variants.1.flowVersionId`, `goal.nodeId`, ...).
 */
export async function checkDesign(db: TenantClient, botId: string, design: Design): Promise<CheckedDesign> {
  const entry = await entryFlowOf(db, botId);
  const { variants, goal } = design;
  const seen = new Map<string, number>();
  const duplicates: FieldIssue[] = [];
  variants.forEach((variant, index) => {
    if (seen.has(variant.key)) {
      duplicates.push({
        path: `variants.${index}.key`,
        message: `"${variant.key}" is already variant ${seen.get(variant.key)}`,
      });
    } else seen.set(variant.key, index);
  });
  if (duplicates.length > 0) refuse("variant keys must be unique", duplicates);

  const pinned = variants.filter((variant) => variant.flowVersionId !== undefined).length;
  if (pinned > 0 && pinned < variants.length) {
    refuse(
      "either every variant pins a flow version, or none does (an ab-split experiment)",
      variants.flatMap((variant, index) =>
        variant.flowVersionId === undefined
          ? [
              {
                path: `variants.${index}.flowVersionId`,
                message: "pin a published version like the other variants",
              },
            ]
          : [],
      ),
    );
  }

  let documents: FlowDocument[];
  let abSplitNodeId: string | null = null;
  if (pinned > 0) {
    if (design.abSplitNodeId) {
      refuse("an experiment over pinned versions has no ab-split node", [
        { path: "abSplitNodeId", message: "omit it when the variants pin versions" },
      ]);
    }
    const ids = variants.map((variant) => variant.flowVersionId as string);
    const rows = await db.flowVersion.findMany({
      where: { id: { in: ids.filter(isUuid) }, flowId: entry.flowId, status: "published" },
      select: { id: true, document: true },
    });
    const found = new Map(rows.map((row) => [row.id, row.document as unknown as FlowDocument]));
    const missing = ids.flatMap((id, index) =>
      found.has(id)
        ? []
        : [
            {
              path: `variants.${index}.flowVersionId`,
              message: `${id} is not a published version of the bot's entry flow`,
            },
          ],
    );
    if (missing.length > 0)
      refuse("every pinned version must be a published version of the bot's entry flow", missing);
    documents = ids.map((id) => found.get(id) as FlowDocument);
  } else {
    const splits = entry.document.nodes.filter((node) => node.kind === "ab-split");
    const wanted = design.abSplitNodeId ?? (splits.length === 1 ? splits[0]?.id : undefined);
    if (!wanted) {
      refuse(
        splits.length === 0
          ? "the variants pin no flow version and the entry flow has no ab-split node"
          : "the entry flow has several ab-split nodes: name one in abSplitNodeId",
        [
          splits.length === 0
            ? {
                path: "variants.0.flowVersionId",
                message: "pin a published version, or add an ab-split node to the flow",
              }
            : { path: "abSplitNodeId", message: `one of ${splits.map((node) => node.id).join(", ")}` },
        ],
      );
    }
    const split = splits.find((node) => node.id === wanted);
    if (split?.kind !== "ab-split") {
      return refuse(`the published entry flow has no ab-split node ${wanted}`, [
        { path: "abSplitNodeId", message: `no ab-split node ${wanted} in the published entry flow` },
      ]);
    }
    const branches = split.data.variants.map((variant) => variant.id);
    const unknown = variants.flatMap((variant, index) =>
      branches.includes(variant.key)
        ? []
        : [
            {
              path: `variants.${index}.key`,
              message: `ab-split node ${split.id} has no branch "${variant.key}" (branches: ${branches.join(", ")})`,
            },
          ],
    );
    if (unknown.length > 0) refuse(`variant keys must name branches of ab-split node ${split.id}`, unknown);
    abSplitNodeId = split.id;
    documents = [entry.document];
  }

  if (
    goal.type === "node" &&
    !documents.some((document) => document.nodes.some((node) => node.id === goal.nodeId))
  ) {
    refuse(`the goal node ${goal.nodeId} is not in the flow the variants run`, [
      { path: "goal.nodeId", message: `no node ${goal.nodeId} in the entry flow` },
    ]);
  }
  return { flowId: entry.flowId, abSplitNodeId };
}
