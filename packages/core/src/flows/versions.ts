import {
  type FlowVersionDetail,
  type FlowVersionView,
  rollbackFlowInputSchema,
  versionNumberSchema,
} from "@parley/contract";
import type { Flow, TenantClient } from "@parley/db";
import type { z } from "zod";
import { recordAudit } from "../audit";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { configChanged } from "../internal/config-cache";
import {
  actorUserId,
  compileForPublish,
  type FlowVersionRow,
  insertPublishedVersion,
  loadFlow,
  toVersionView,
  versionWithPublisher,
} from "./flows";

/** Loads version `version` of a live flow of the tenant, or throws `flow-version-not-found` (internal). */
async function loadVersion(
  db: TenantClient,
  flowId: string,
  version: number,
): Promise<{ flow: Flow; row: FlowVersionRow }> {
  const flow = await loadFlow(db, flowId);
  const parsed = versionNumberSchema.safeParse(version);
  const row = parsed.success
    ? await db.flowVersion.findFirst({
        where: { flowId: flow.id, version: parsed.data },
        include: versionWithPublisher,
      })
    : null;
  if (!row) throw notFound("flow-version", `${flowId}@${version}`);
  return { flow, row };
}

/** One version of a flow with its document. Needs `flows:read`. */
export async function getFlowVersion(
  ctx: ServiceContext,
  flowId: string,
  version: number,
): Promise<FlowVersionDetail> {
  authorize(ctx, "flows:read");
  const { row } = await loadVersion(tenantDb(ctx), flowId, version);
  return { ...toVersionView(row), document: row.document as Record<string, unknown> };
}

/**
 * Rollback: publishes an older version's document again, as a new numbered version (history stays
 * immutable), and makes it the draft, in one transaction. The document is checked and compiled
 * against the bot's current subflows first, like any publish. Needs `flows:publish` and
 * `flows:write` (it replaces the draft).
 */
export async function rollbackFlow(
  ctx: ServiceContext,
  flowId: string,
  input: z.input<typeof rollbackFlowInputSchema>,
): Promise<FlowVersionView> {
  authorize(ctx, "flows:publish");
  authorize(ctx, "flows:write");
  const data = parseInput(rollbackFlowInputSchema, input, "rollback");
  const db = tenantDb(ctx);
  const { flow, row: target } = await loadVersion(db, flowId, data.version);
  if (target.status !== "published") {
    throw new ServiceError(
      "invalid",
      "flow-version-not-published",
      `version ${data.version} was never published`,
    );
  }
  const compiled = await compileForPublish(
    db,
    flow.botId,
    target.document,
    `version ${data.version} cannot be published again`,
  );
  const note = data.note ?? `Rollback to version ${data.version}`;
  const published = await db.$transaction(async (tx) => {
    const revision = data.expectedRevision ?? flow.draftRevision;
    const replaced = await tx.flow.updateMany({
      where: { id: flowId, draftRevision: revision },
      data: { draft: compiled.flow as never, draftRevision: { increment: 1 }, updatedById: actorUserId(ctx) },
    });
    if (replaced.count === 0) {
      throw new ServiceError(
        "conflict",
        "draft-conflict",
        `the draft was changed by someone else (you saw revision ${revision}); reload it before rolling back`,
      );
    }
    const version = await insertPublishedVersion(tx, ctx, flow, compiled, note);
    await recordAudit(tx, ctx, {
      action: "flow.rollback",
      targetType: "flow",
      targetId: flowId,
      before: { publishedVersionId: flow.publishedVersionId },
      after: { toVersion: data.version, versionId: version.id, version: version.version, note },
    });
    return toVersionView(version);
  });
  await configChanged(ctx.deps);
  return published;
}
