import {
  archivedFilterSchema,
  deleteInputSchema,
  duplicateFlowInputSchema,
  updateFlowInputSchema,
} from "@parley/contract";
import {
  archiveFlow,
  createFlow,
  deleteFlow,
  duplicateFlow,
  exportFlow,
  getFlow,
  getFlowVersion,
  listFlows,
  listFlowVersions,
  publishFlow,
  restoreFlow,
  rollbackFlow,
  runTestTurn,
  ServiceError,
  saveFlowDraft,
  testTurnInputSchema,
  updateFlow,
  validateFlow,
  validateFlowDocument,
} from "@parley/core";
import { emptyFlow } from "@parley/flow-schema";
import { z } from "zod";
import { serviceContext } from "../core-bridge";
import { loadTemplates } from "../services/templates";
import { idSchema, router, tenantProcedure } from "../trpc";

const documentSchema = z.record(z.string(), z.unknown());

/** A document id from a display name: lower-case, URL-safe, with a short random suffix. */
function documentIdFor(name: string): string {
  const stem =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "flow";
  return `${stem}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Flows of a bot: drafts, validation, publishing, versions, rollback, import/export and the test chat. */
export const flowsRouter = router({
  list: tenantProcedure("flows:read")
    .input(z.object({ botId: idSchema, status: archivedFilterSchema.optional() }))
    .query(({ ctx, input }) =>
      listFlows(serviceContext(ctx), input.botId, { status: input.status ?? "live" }),
    ),

  /** Rename (or describe) a flow. */
  update: tenantProcedure("flows:write")
    .input(updateFlowInputSchema.extend({ flowId: idSchema }))
    .mutation(({ ctx, input: { flowId, ...changes } }) => updateFlow(serviceContext(ctx), flowId, changes)),

  duplicate: tenantProcedure("flows:write")
    .input(duplicateFlowInputSchema.extend({ flowId: idSchema }))
    .mutation(({ ctx, input: { flowId, ...rest } }) => duplicateFlow(serviceContext(ctx), flowId, rest)),

  archive: tenantProcedure("flows:write")
    .input(z.object({ flowId: idSchema }))
    .mutation(({ ctx, input }) => archiveFlow(serviceContext(ctx), input.flowId)),

  restore: tenantProcedure("flows:write")
    .input(z.object({ flowId: idSchema }))
    .mutation(({ ctx, input }) => restoreFlow(serviceContext(ctx), input.flowId)),

  /** Deletes for good; a flow with conversations needs `confirmName` (its name, typed). */
  delete: tenantProcedure("flows:write")
    .input(deleteInputSchema.extend({ flowId: idSchema }))
    .mutation(async ({ ctx, input: { flowId, ...rest } }) => {
      await deleteFlow(serviceContext(ctx), flowId, rest);
      return { ok: true };
    }),

  get: tenantProcedure("flows:read")
    .input(z.object({ flowId: idSchema }))
    .query(({ ctx, input }) => getFlow(serviceContext(ctx), input.flowId)),

  templates: tenantProcedure("flows:read").query(({ ctx }) =>
    loadTemplates(ctx.templatesDir).map(({ id, name, description, document }) => ({
      id,
      name,
      description,
      nodeCount: document.nodes.length,
      kinds: [...new Set(document.nodes.map((node) => node.kind))],
      /** What the gallery's preview draws: each node's kind, title and place, and the connections. */
      preview: {
        nodes: document.nodes.map((node) => ({
          id: node.id,
          kind: node.kind,
          title: node.label ?? node.kind,
          x: node.position.x,
          y: node.position.y,
        })),
        edges: document.edges.map((edge) => ({ source: edge.source, target: edge.target })),
      },
    })),
  ),

  /** A new flow: empty (a start node), from a starter template, or imported from a JSON document. */
  create: tenantProcedure("flows:write")
    .input(
      z.object({
        botId: idSchema,
        name: z.string().trim().min(1).max(200),
        source: z.discriminatedUnion("type", [
          z.object({ type: z.literal("empty") }),
          z.object({ type: z.literal("template"), templateId: z.string().min(1).max(100) }),
          z.object({ type: z.literal("import"), document: documentSchema }),
        ]),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      let document: Record<string, unknown>;
      if (input.source.type === "empty") {
        document = emptyFlow(documentIdFor(input.name), input.name) as unknown as Record<string, unknown>;
      } else if (input.source.type === "template") {
        const templateId = input.source.templateId;
        const template = loadTemplates(ctx.templatesDir).find((t) => t.id === templateId);
        if (!template)
          throw new ServiceError("not_found", "template-not-found", `template ${templateId} was not found`);
        document = { ...template.document, id: documentIdFor(input.name), name: input.name } as Record<
          string,
          unknown
        >;
      } else {
        document = { ...input.source.document, name: input.name };
      }
      return createFlow(serviceContext(ctx), { botId: input.botId, document, name: input.name });
    }),

  /** Saves the draft; refused with CONFLICT (`draft-conflict`) when someone saved since `expectedRevision`. */
  saveDraft: tenantProcedure("flows:write")
    .input(
      z.object({
        flowId: idSchema,
        document: documentSchema,
        expectedRevision: z.number().int().nonnegative(),
      }),
    )
    .mutation(({ ctx, input }) =>
      saveFlowDraft(serviceContext(ctx), input.flowId, {
        document: input.document,
        expectedRevision: input.expectedRevision,
      }),
    ),

  validate: tenantProcedure("flows:read")
    .input(z.object({ flowId: idSchema }))
    .query(({ ctx, input }) => validateFlow(serviceContext(ctx), input.flowId)),

  /** Validates a document against a bot (import preview, or the designer's unsaved state). */
  validateDocument: tenantProcedure("flows:read")
    .input(z.object({ botId: idSchema, document: z.unknown() }))
    .query(({ ctx, input }) => validateFlowDocument(serviceContext(ctx), input.botId, input.document)),

  export: tenantProcedure("flows:read")
    .input(z.object({ flowId: idSchema }))
    .query(({ ctx, input }) => exportFlow(serviceContext(ctx), input.flowId)),

  publish: tenantProcedure("flows:publish")
    .input(z.object({ flowId: idSchema, note: z.string().max(2_000).default("") }))
    .mutation(({ ctx, input }) => publishFlow(serviceContext(ctx), input.flowId, { note: input.note })),

  /** Versions, newest first, with who published them. */
  versions: tenantProcedure("flows:read")
    .input(z.object({ flowId: idSchema }))
    .query(({ ctx, input }) => listFlowVersions(serviceContext(ctx), input.flowId)),

  /** One version's document (for the visual diff against the draft). */
  version: tenantProcedure("flows:read")
    .input(z.object({ flowId: idSchema, version: z.number().int().min(1) }))
    .query(({ ctx, input }) => getFlowVersion(serviceContext(ctx), input.flowId, input.version)),

  /**
   * Rollback: publishes an older version's document again as a new version, and makes it the draft.
   * `expectedRevision` protects unsaved work of another editor like any other save.
   */
  rollback: tenantProcedure("flows:publish")
    .input(
      z.object({
        flowId: idSchema,
        version: z.number().int().min(1),
        expectedRevision: z.number().int().nonnegative(),
      }),
    )
    .mutation(({ ctx, input }) =>
      rollbackFlow(serviceContext(ctx), input.flowId, {
        version: input.version,
        expectedRevision: input.expectedRevision,
      }),
    ),

  /**
   * One turn of the test chat (core's runTestTurn: the draft with the bot's real ports, so it needs
   * `flows:write`), streamed to the client through the streaming link.
   */
  testTurn: tenantProcedure("flows:write")
    .input(testTurnInputSchema)
    .mutation(({ ctx, input, signal }) => runTestTurn(serviceContext(ctx), input, signal ? { signal } : {})),
});
