import {
  createFlowInputSchema,
  type FlowValidation,
  type FlowVersionView,
  type FlowView,
  type PublishFlowInput,
  publishFlowInputSchema,
  saveFlowDraftInputSchema,
} from "@parley/contract";
import type { Flow, FlowVersion, TenantClient } from "@parley/db";
import { compile, FlowCompileError } from "@parley/engine";
import { checkFlow, type FlowDocument, type FlowProblem, parseFlowDocument } from "@parley/flow-schema";
import type { z } from "zod";
import { auditActorId, recordAudit } from "../audit";
import { loadBot } from "../bots/bots";
import { integrationOperationsOf } from "../connectors/flow-operations";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { configChanged } from "../internal/config-cache";
import { isUuid, newId } from "../internal/ids";

/** Maps a flow row to its view (internal). */
export const toFlowView = (flow: Flow): FlowView => ({
  id: flow.id,
  botId: flow.botId,
  name: flow.name,
  description: flow.description,
  draft: flow.draft as Record<string, unknown>,
  draftRevision: flow.draftRevision,
  publishedVersionId: flow.publishedVersionId,
  archivedAt: flow.archivedAt?.toISOString() ?? null,
  createdAt: flow.createdAt.toISOString(),
  updatedAt: flow.updatedAt.toISOString(),
});

/** A version row with its publisher, as {@link versionWithPublisher} loads it (internal). */
export type FlowVersionRow = FlowVersion & { publishedBy: { id: string; name: string } | null };

/** The Prisma `include` that loads a version's publisher for {@link toVersionView} (internal). */
export const versionWithPublisher = { publishedBy: { select: { id: true, name: true } } } as const;

/** A version row as the API returns it (internal). */
export const toVersionView = (version: FlowVersionRow): FlowVersionView => ({
  id: version.id,
  flowId: version.flowId,
  version: version.version,
  status: version.status,
  note: version.note,
  publishedAt: version.publishedAt?.toISOString() ?? null,
  publishedBy: version.publishedBy ? { id: version.publishedBy.id, name: version.publishedBy.name } : null,
  createdAt: version.createdAt.toISOString(),
});

/** The user behind the context's actor, when it is a person (internal). */
export const actorUserId = (ctx: ServiceContext) => (ctx.actor.type === "user" ? ctx.actor.userId : null);

/** Parses a document's shape or throws `flow-invalid` with every shape problem (internal). */
function parseDocumentOrThrow(document: unknown): FlowDocument {
  const parsed = parseFlowDocument(document);
  if (parsed.ok) return parsed.flow;
  throw flowInvalid("the flow document is not a valid flow", parsed.problems);
}

function flowInvalid(message: string, problems: readonly FlowProblem[]): ServiceError {
  return new ServiceError(
    "invalid",
    "flow-invalid",
    `${message}: ${problems.map((p) => p.message).join("; ")}`,
    {
      errors: problems.map((problem) => ({ path: problem.path.join("."), message: problem.message })),
    },
  );
}

/** Loads a live flow of the tenant or throws `flow-not-found` (internal). */
export async function loadFlow(db: TenantClient, flowId: string): Promise<Flow> {
  const flow = isUuid(flowId) ? await db.flow.findFirst({ where: { id: flowId, archivedAt: null } }) : null;
  if (!flow) throw notFound("flow", flowId);
  return flow;
}

/**
 * Creates a flow of a bot from a JSON document (the import). The shape must be valid (older
 * versions are migrated); semantic problems are allowed in a draft and reported by validate.
 * Needs `flows:write`.
 */
export async function createFlow(
  ctx: ServiceContext,
  input: z.input<typeof createFlowInputSchema>,
): Promise<FlowView> {
  authorize(ctx, "flows:write");
  const data = parseInput(createFlowInputSchema, input, "flow");
  const bot = await loadBot(ctx, data.botId);
  const document = parseDocumentOrThrow(data.document);
  const created = await tenantDb(ctx).$transaction(async (tx) => {
    const flow = await tx.flow.create({
      data: {
        id: newId(),
        tenantId: ctx.tenantId,
        botId: bot.id,
        name: data.name ?? document.name,
        description: document.description ?? "",
        draft: document as never,
        createdById: actorUserId(ctx),
        updatedById: actorUserId(ctx),
      },
    });
    if (data.entry ?? bot.entryFlowId === null) {
      await tx.bot.update({ where: { id: bot.id }, data: { entryFlowId: flow.id } });
    }
    await recordAudit(tx, ctx, {
      action: "flow.create",
      targetType: "flow",
      targetId: flow.id,
      after: { name: flow.name, botId: bot.id },
    });
    return toFlowView(flow);
  });
  await configChanged(ctx.deps);
  return created;
}

/** Lists a bot's live flows (or, with `status: "archived"`, its archived ones). Needs `flows:read`. */
export async function listFlows(
  ctx: ServiceContext,
  botId: string,
  options: { status?: "live" | "archived" } = {},
): Promise<FlowView[]> {
  authorize(ctx, "flows:read");
  await loadBot(ctx, botId);
  const flows = await tenantDb(ctx).flow.findMany({
    where: { botId, archivedAt: options.status === "archived" ? { not: null } : null },
    orderBy: { createdAt: "asc" },
  });
  return flows.map(toFlowView);
}

/** One flow with its draft. Needs `flows:read`. */
export async function getFlow(ctx: ServiceContext, flowId: string): Promise<FlowView> {
  authorize(ctx, "flows:read");
  return toFlowView(await loadFlow(tenantDb(ctx), flowId));
}

/** The draft document as JSON, for export (contains no secrets: credentials live in integrations). */
export async function exportFlow(ctx: ServiceContext, flowId: string): Promise<Record<string, unknown>> {
  authorize(ctx, "flows:read");
  return (await loadFlow(tenantDb(ctx), flowId)).draft as Record<string, unknown>;
}

/**
 * Saves the draft (optimistic concurrency: with `expectedRevision`, a save over a newer revision is
 * refused with `draft-conflict`). Returns the flow and the draft's validation problems.
 * Needs `flows:write`.
 */
export async function saveFlowDraft(
  ctx: ServiceContext,
  flowId: string,
  input: z.input<typeof saveFlowDraftInputSchema>,
): Promise<{ flow: FlowView; validation: FlowValidation }> {
  authorize(ctx, "flows:write");
  const data = parseInput(saveFlowDraftInputSchema, input, "flow draft");
  const document = parseDocumentOrThrow(data.document);
  const db = tenantDb(ctx);
  const current = await loadFlow(db, flowId);
  const flow = await db.$transaction(async (tx) => {
    const revision = data.expectedRevision ?? current.draftRevision;
    const updated = await tx.flow.updateMany({
      where: { id: flowId, draftRevision: revision },
      data: { draft: document as never, draftRevision: { increment: 1 }, updatedById: actorUserId(ctx) },
    });
    if (updated.count === 0) {
      throw new ServiceError(
        "conflict",
        "draft-conflict",
        `the draft was changed by someone else (you edited revision ${revision}); reload it and apply your changes again`,
      );
    }
    if (!(await inDraftEditingSession(tx, ctx, flowId))) {
      await recordAudit(tx, ctx, { action: "flow.save_draft", targetType: "flow", targetId: flowId });
    }
    return tx.flow.findUniqueOrThrow({ where: { id: flowId } });
  });
  return { flow: toFlowView(flow), validation: await validateDocument(db, current.botId, document) };
}

/** How long an editing session lasts in the audit log: autosaves within it add no row. */
const DRAFT_SESSION_MS = 30 * 60_000;

/**
 * Whether this save continues an editing session already in the audit log: the flow's latest entry
 * is a draft save by the same actor less than {@link DRAFT_SESSION_MS} ago. Autosave writes every
 * few seconds; the log keeps one "saved the draft" row per session instead of hundreds.
 */
async function inDraftEditingSession(
  db: TenantClient,
  ctx: ServiceContext,
  flowId: string,
): Promise<boolean> {
  const latest = await db.auditLogEntry.findFirst({
    where: { targetType: "flow", targetId: flowId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { action: true, actorType: true, actorId: true, actorLabel: true, createdAt: true },
  });
  if (latest?.action !== "flow.save_draft") return false;
  const sameActor = latest.actorId === auditActorId(ctx.actor) && latest.actorLabel === ctx.actor.label;
  return sameActor && Date.now() - latest.createdAt.getTime() < DRAFT_SESSION_MS;
}

/** Validates a flow's draft (shape and semantics, subflow references included). Needs `flows:read`. */
export async function validateFlow(ctx: ServiceContext, flowId: string): Promise<FlowValidation> {
  authorize(ctx, "flows:read");
  const db = tenantDb(ctx);
  const flow = await loadFlow(db, flowId);
  return validateDocument(db, flow.botId, flow.draft);
}

/** Validates any flow document against a bot (for import previews). Needs `flows:read`. */
export async function validateFlowDocument(
  ctx: ServiceContext,
  botId: string,
  document: unknown,
): Promise<FlowValidation> {
  authorize(ctx, "flows:read");
  await loadBot(ctx, botId);
  return validateDocument(tenantDb(ctx), botId, document);
}

/** The published documents of the bot's other flows, keyed by their document id (for subflows). */
async function publishedSiblings(db: TenantClient, botId: string): Promise<Map<string, FlowDocument>> {
  const flows = await db.flow.findMany({
    where: { botId, archivedAt: null, publishedVersionId: { not: null } },
    select: { publishedVersion: { select: { document: true } } },
  });
  const byId = new Map<string, FlowDocument>();
  for (const flow of flows) {
    const document = flow.publishedVersion?.document as FlowDocument | undefined;
    if (document?.id) byId.set(document.id, document);
  }
  return byId;
}

async function validateDocument(db: TenantClient, botId: string, document: unknown): Promise<FlowValidation> {
  const siblings = await publishedSiblings(db, botId);
  const result = checkFlow(document, {
    flowExists: (id) => siblings.has(id),
    flowVariables: (id) => siblings.get(id)?.variables.map((variable) => variable.name),
    integrationOperations: await integrationOperationsOf(db),
  });
  return { ok: result.ok, problems: result.problems.map((p) => ({ ...p, path: [...p.path] })) };
}

/**
 * Checks a document for publishing (any problem refuses with `flow-invalid`) and compiles it with the
 * bot's published subflows (internal: publish and rollback share it).
 */
export async function compileForPublish(
  db: TenantClient,
  botId: string,
  document: unknown,
  refusal: string,
): Promise<{ flow: FlowDocument; machine: unknown }> {
  const siblings = await publishedSiblings(db, botId);
  const checked = checkFlow(document, {
    flowExists: (id) => siblings.has(id),
    flowVariables: (id) => siblings.get(id)?.variables.map((variable) => variable.name),
    integrationOperations: await integrationOperationsOf(db),
  });
  if (!checked.ok) throw flowInvalid(refusal, checked.problems);
  try {
    return { flow: checked.flow, machine: compile(checked.flow, { subflows: Object.fromEntries(siblings) }) };
  } catch (error) {
    if (error instanceof FlowCompileError) {
      throw new ServiceError("invalid", "flow-invalid", `the flow does not compile: ${error.message}`);
    }
    throw error;
  }
}

/**
 * Stores the next numbered, published version of a flow and makes it the one new conversations start
 * on, inside the caller's transaction (internal: publish and rollback share it).
 */
export async function insertPublishedVersion(
  tx: TenantClient,
  ctx: ServiceContext,
  flow: Pick<Flow, "id" | "botId">,
  compiled: { flow: FlowDocument; machine: unknown },
  note: string,
): Promise<FlowVersionRow> {
  const last = await tx.flowVersion.findFirst({
    where: { flowId: flow.id },
    orderBy: { version: "desc" },
    select: { version: true },
  });
  const version = await tx.flowVersion.create({
    data: {
      id: newId(),
      tenantId: ctx.tenantId,
      botId: flow.botId,
      flowId: flow.id,
      version: (last?.version ?? 0) + 1,
      status: "published",
      document: compiled.flow as never,
      machine: compiled.machine as never,
      schemaVersion: compiled.flow.version,
      note,
      createdById: actorUserId(ctx),
      publishedById: actorUserId(ctx),
      publishedAt: new Date(),
    },
    include: versionWithPublisher,
  });
  await tx.flow.update({ where: { id: flow.id }, data: { publishedVersionId: version.id } });
  return version;
}

/**
 * Publishes the draft: validates it (any problem refuses with `flow-invalid`), compiles it with the
 * bot's published subflows, and stores an immutable numbered version that new conversations start
 * on. Running conversations keep their version. Needs `flows:publish`.
 */
export async function publishFlow(
  ctx: ServiceContext,
  flowId: string,
  input: PublishFlowInput = {},
): Promise<FlowVersionView> {
  authorize(ctx, "flows:publish");
  const note = parseInput(publishFlowInputSchema, input, "publish").note ?? "";
  const db = tenantDb(ctx);
  const flow = await loadFlow(db, flowId);
  const compiled = await compileForPublish(
    db,
    flow.botId,
    flow.draft,
    "the flow cannot be published until its problems are fixed",
  );
  const published = await db.$transaction(async (tx) => {
    const version = await insertPublishedVersion(tx, ctx, flow, compiled, note);
    await recordAudit(tx, ctx, {
      action: "flow.publish",
      targetType: "flow",
      targetId: flowId,
      after: { versionId: version.id, version: version.version, note },
    });
    return toVersionView(version);
  });
  // After commit, so no reader re-caches the old version in between.
  await configChanged(ctx.deps);
  return published;
}

/** A flow's versions, newest first, with who published each. Needs `flows:read`. */
export async function listFlowVersions(ctx: ServiceContext, flowId: string): Promise<FlowVersionView[]> {
  authorize(ctx, "flows:read");
  const db = tenantDb(ctx);
  await loadFlow(db, flowId);
  const versions = await db.flowVersion.findMany({
    where: { flowId },
    orderBy: { version: "desc" },
    include: versionWithPublisher,
  });
  return versions.map(toVersionView);
}
