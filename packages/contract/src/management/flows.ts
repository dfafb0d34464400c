import { z } from "zod";

/** A flow as the API returns it (the draft document included). */
export const flowViewSchema = z.object({
  id: z.string(),
  botId: z.string(),
  name: z.string(),
  description: z.string(),
  draft: z.record(z.string(), z.unknown()),
  draftRevision: z.number().int(),
  publishedVersionId: z.string().nullable(),
  /** When the flow was archived (hidden from the bot's flows); null while it is live. */
  archivedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** A flow as the API returns it. */
export type FlowView = z.infer<typeof flowViewSchema>;

/** A flow version as the API returns it (without the compiled machine). */
export const flowVersionViewSchema = z.object({
  id: z.string(),
  flowId: z.string(),
  version: z.number().int(),
  status: z.enum(["draft", "published"]),
  note: z.string(),
  publishedAt: z.string().nullable(),
  /** Who published it; null when that user was deleted (or for versions published by an API key). */
  publishedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: z.string(),
});
/** A flow version as the API returns it. */
export type FlowVersionView = z.infer<typeof flowVersionViewSchema>;

/** A validation problem of a flow document (flow-schema's problem shape). */
export const flowProblemViewSchema = z.object({
  nodeId: z.string().nullable(),
  path: z.array(z.union([z.string(), z.number()])),
  code: z.string(),
  message: z.string(),
});

/** Result of validating a flow. */
export const flowValidationSchema = z.object({ ok: z.boolean(), problems: z.array(flowProblemViewSchema) });
/** Result of validating a flow. */
export type FlowValidation = z.infer<typeof flowValidationSchema>;

/** Input of core's `createFlow` (also the import: `document` is a flow JSON document). */
export const createFlowInputSchema = z
  .object({
    botId: z.string().min(1),
    /** The flow document (JSON); its shape must parse, semantic problems are allowed in a draft. */
    document: z.record(z.string(), z.unknown()),
    /** Defaults to the document's name. */
    name: z.string().trim().min(1).max(200).optional(),
    /** Make it the bot's entry flow (default: when the bot has none yet). */
    entry: z.boolean().optional(),
  })
  .strict();

/** `PUT /api/v1/flows/{flowId}/draft` body; input of core's `saveFlowDraft`. */
export const saveFlowDraftInputSchema = z
  .object({
    document: z.record(z.string(), z.unknown()),
    /** The revision the editor started from; a save against an older one is refused (`draft-conflict`). */
    expectedRevision: z.number().int().nonnegative().optional(),
  })
  .strict();

/** The import's wrapped form: the document with an optional name and entry flag. */
const wrappedImportSchema = createFlowInputSchema.omit({ botId: true });

/**
 * A bare flow document, as `GET /api/v1/flows/{flowId}/export` and the studio's export give it: a
 * JSON object with `nodes` and no `document` key. Its shape is checked by the import itself.
 */
const bareFlowDocumentSchema = z
  .looseObject({ nodes: z.array(z.unknown()), document: z.never().optional() })
  .describe("A flow JSON document exactly as exported");

/**
 * `POST /api/v1/bots/{botId}/flows` body: the import, with the bot taken from the path. Either
 * `{ document, name?, entry? }` or an exported flow document as is (it becomes `{ document }`).
 */
export const importFlowBodySchema = z
  .union([wrappedImportSchema, bareFlowDocumentSchema])
  .transform((body) => ("nodes" in body ? { document: body as Record<string, unknown> } : body));

/** `POST /api/v1/flows/{flowId}/publish` body (optional); input of core's `publishFlow`. */
export const publishFlowInputSchema = z
  .object({ note: z.string().max(2_000).optional().describe("What changed") })
  .strict();
/** `POST /api/v1/flows/{flowId}/publish` body. */
export type PublishFlowInput = z.input<typeof publishFlowInputSchema>;

/** `PATCH /api/v1/flows/{flowId}` body: rename, describe; input of core's `updateFlow`. */
export const updateFlowInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(2_000).optional(),
  })
  .strict();

/** `POST /api/v1/flows/{flowId}/duplicate` body; input of core's `duplicateFlow`. */
export const duplicateFlowInputSchema = z
  .object({ name: z.string().trim().min(1).max(200).optional().describe('Defaults to "<name> (copy)"') })
  .strict();

/** `GET /api/v1/bots/{botId}/flows` query. */
export const listFlowsQuerySchema = z.object({
  status: z.enum(["live", "archived"]).default("live").describe("`live` (default) or `archived`"),
});
