import type { AbSplitChoice } from "@parley/engine";
import type { ServiceContext } from "../context";
import { configCache } from "../internal/config-cache";
import { assignVariant } from "./assignment";
import { variantsOf } from "./experiments";

/** A running experiment as the turn pipeline needs it (cached per process). */
interface RunningExperiment {
  id: string;
  flowId: string | null;
  abSplitNodeId: string | null;
  variants: { key: string; weight: number; flowVersionId?: string }[];
}

/** What a new conversation of a bot in an experiment gets (internal). */
export interface Assignment {
  experimentId: string;
  variant: string;
  /** The pinned version the conversation starts on (version experiments). */
  flowVersionId?: string;
  /** The branch its ab-split node takes (ab-split experiments). */
  abSplitChoice?: AbSplitChoice;
}

const CACHE = { ttlMs: 60_000, maxEntries: 10_000 };

/**
 * The bot's running experiment, kept in process memory: starting, stopping or promoting moves the
 * configuration revision (a trigger on `experiments`), so every process sees it within a second.
 */
async function runningExperimentOf(ctx: ServiceContext, botId: string): Promise<RunningExperiment | null> {
  const cache = configCache<RunningExperiment | null>(ctx.deps, "bot-experiments", CACHE);
  return cache.get(`${ctx.tenantId}:${botId}`, async () => {
    const row = await ctx.deps.db.forTenant(ctx.tenantId).experiment.findFirst({
      where: { botId, status: "running" },
      select: { id: true, flowId: true, abSplitNodeId: true, variants: true },
    });
    return row
      ? { id: row.id, flowId: row.flowId, abSplitNodeId: row.abSplitNodeId, variants: variantsOf(row) }
      : null;
  });
}

const choiceOf = (
  experiment: Pick<RunningExperiment, "flowId" | "abSplitNodeId">,
  variant: string,
): AbSplitChoice | undefined =>
  experiment.abSplitNodeId ? { nodeId: experiment.abSplitNodeId, variant } : undefined;

/**
 * Assigns a new conversation of `botId` (starting in entry flow `entryFlowId`) to a variant of the
 * bot's running experiment, if any (internal): by weight, sticky per `subjectId` (the contact, or
 * the conversation itself for an anonymous visitor). An experiment made for another entry flow
 * (the bot's entry flow changed since) assigns nothing.
 */
export async function assignNewConversation(
  ctx: ServiceContext,
  botId: string,
  entryFlowId: string,
  subjectId: string,
): Promise<Assignment | null> {
  const experiment = await runningExperimentOf(ctx, botId);
  if (!experiment || experiment.flowId !== entryFlowId || experiment.variants.length === 0) return null;
  const variant = assignVariant(experiment.id, subjectId, experiment.variants);
  const abSplitChoice = choiceOf(experiment, variant.key);
  return {
    experimentId: experiment.id,
    variant: variant.key,
    ...(variant.flowVersionId ? { flowVersionId: variant.flowVersionId } : {}),
    ...(abSplitChoice ? { abSplitChoice } : {}),
  };
}

/**
 * The ab-split branch of a conversation assigned by an ab-split experiment, for its later turns
 * (internal). The experiment's node never changes once started, so it is cached per process.
 */
export async function abSplitChoiceOf(
  ctx: ServiceContext,
  conversation: { experimentId?: string | null; experimentVariant?: string | null },
): Promise<AbSplitChoice | undefined> {
  const { experimentId, experimentVariant } = conversation;
  if (!experimentId || !experimentVariant) return undefined;
  const cache = configCache<Pick<RunningExperiment, "flowId" | "abSplitNodeId"> | null>(
    ctx.deps,
    "experiment-splits",
    CACHE,
  );
  const experiment = await cache.get(`${ctx.tenantId}:${experimentId}`, () =>
    ctx.deps.db.forTenant(ctx.tenantId).experiment.findFirst({
      where: { id: experimentId },
      select: { flowId: true, abSplitNodeId: true },
    }),
  );
  return experiment ? choiceOf(experiment, experimentVariant) : undefined;
}
