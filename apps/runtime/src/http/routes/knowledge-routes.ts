import {
  knowledgeDocumentsInputSchema,
  knowledgeDocumentsResultSchema,
  knowledgeDocumentViewSchema,
  knowledgeMediaTypeSchema,
  knowledgeSearchInputSchema,
  knowledgeSearchResultSchema,
  MAX_KNOWLEDGE_UPLOAD_BYTES,
} from "@parley/contract";
import {
  addKnowledgeDocuments,
  deleteKnowledgeDocument,
  knowledgeFormatOf,
  listKnowledgeDocuments,
  type ServiceContext,
  searchKnowledge,
  uploadKnowledgeDocument,
} from "@parley/core";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { HttpProblem } from "../problem";
import { type AnyRouteSpec, defineRoute } from "../route-spec";

const botParams = z.object({ botId: z.string().min(1).max(100).describe("The bot's id") }).strict();
const documentParams = botParams
  .extend({ documentId: z.string().min(1).max(100).describe("The document's id") })
  .strict();
const TAG = "Knowledge";

/** Text fields of a multipart upload (send them before the `file` part). */
const multipartFieldsSchema = z.object({
  title: z.string().trim().min(1).max(300).optional(),
  mediaType: knowledgeMediaTypeSchema
    .optional()
    .describe("Default: the part's content type, else the file name"),
  language: z.string().min(2).max(16).optional(),
});

/** A multipart upload: one `file` part (at most the upload limit), read into the knowledge base's queue. */
async function uploadMultipart(ctx: ServiceContext, botId: string, request: FastifyRequest) {
  const file = await request.file({
    limits: { fileSize: MAX_KNOWLEDGE_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 1_000 },
  });
  if (!file) throw new HttpProblem(400, "missing-file", "send the document as a multipart part named `file`");
  if (file.fieldname !== "file")
    throw new HttpProblem(400, "missing-file", "the multipart part must be named `file`", {
      errors: [{ path: "file", message: `expected a part named file, got ${file.fieldname}` }],
    });
  const bytes = await file.toBuffer();
  // busboy stops at the limit and marks the stream truncated; a cut document is refused, never indexed.
  if (file.file.truncated || bytes.byteLength > MAX_KNOWLEDGE_UPLOAD_BYTES)
    throw new HttpProblem(
      413,
      "file-too-large",
      `the file is larger than ${MAX_KNOWLEDGE_UPLOAD_BYTES} bytes`,
      {
        errors: [{ path: "file", message: `at most ${MAX_KNOWLEDGE_UPLOAD_BYTES} bytes` }],
      },
    );
  const raw = Object.fromEntries(
    Object.values(file.fields).flatMap((field) =>
      field && !Array.isArray(field) && field.type === "field"
        ? [[field.fieldname, String(field.value)]]
        : [],
    ),
  );
  const parsed = multipartFieldsSchema.safeParse(raw);
  if (!parsed.success)
    throw new HttpProblem(400, "invalid-body", "invalid multipart fields", {
      errors: parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    });
  const fields = parsed.data;
  const format = knowledgeFormatOf({
    ...(fields.mediaType ? { mediaType: fields.mediaType } : {}),
    contentType: file.mimetype,
    fileName: file.filename,
  });
  const result = await uploadKnowledgeDocument(ctx, botId, {
    format,
    content: format === "pdf" ? new Uint8Array(bytes) : new TextDecoder().decode(bytes),
    ...(fields.title ? { title: fields.title } : {}),
    ...(file.filename ? { fileName: file.filename } : {}),
    ...(fields.language ? { language: fields.language } : {}),
  });
  return { items: [result] };
}

/**
 * A bot's knowledge base over REST, each route calling the same @parley/core function as the
 * studio's knowledge page: documents with their indexing status, uploads (JSON text or URLs, or a
 * multipart file) queued for the `knowledge` worker, deletion, and the retrieval test.
 */
export const knowledgeRoutes: AnyRouteSpec[] = [
  defineRoute({
    method: "GET",
    path: "/api/v1/bots/{botId}/knowledge/documents",
    operationId: "listKnowledgeDocuments",
    summary: "List a bot's knowledge documents with their indexing status",
    tag: TAG,
    permission: "bots:read",
    params: botParams,
    success: {
      status: 200,
      description: "Newest first",
      schema: z.object({ items: z.array(knowledgeDocumentViewSchema) }),
    },
    errors: [404],
    handler: async ({ ctx, params }) => ({
      items: await listKnowledgeDocuments(ctx, params.botId as string),
    }),
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/bots/{botId}/knowledge/documents",
    operationId: "addKnowledgeDocuments",
    summary: "Add documents: JSON text or URLs, or a multipart file (queued; status pending -> ready)",
    description:
      "JSON: exactly one of `text` (with `mediaType` text/plain, text/markdown or text/html), `url` or `urls`. " +
      "Multipart: a `file` part (text, Markdown, HTML or PDF; at most 10 MB) after the optional text fields. " +
      "Documents are stored as `pending` and indexed by the runtime's knowledge worker; poll the list for `ready` or `failed`.",
    tag: TAG,
    permission: "knowledge:write",
    params: botParams,
    body: knowledgeDocumentsInputSchema,
    multipart: { maxFileBytes: MAX_KNOWLEDGE_UPLOAD_BYTES, fields: multipartFieldsSchema },
    // JSON text of up to 10 MB, escaped.
    bodyLimit: MAX_KNOWLEDGE_UPLOAD_BYTES * 2,
    success: { status: 202, description: "Queued for indexing", schema: knowledgeDocumentsResultSchema },
    errors: [404, 413, 422],
    handler: ({ ctx, params, body, request }) =>
      body === undefined
        ? uploadMultipart(ctx, params.botId as string, request)
        : addKnowledgeDocuments(ctx, params.botId as string, body),
  }),
  defineRoute({
    method: "DELETE",
    path: "/api/v1/bots/{botId}/knowledge/documents/{documentId}",
    operationId: "deleteKnowledgeDocument",
    summary: "Delete a knowledge document and its chunks",
    tag: TAG,
    permission: "knowledge:write",
    params: documentParams,
    success: { status: 204, description: "Deleted" },
    errors: [404],
    handler: ({ ctx, params }) =>
      deleteKnowledgeDocument(ctx, params.botId as string, params.documentId as string),
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/bots/{botId}/knowledge/search",
    operationId: "searchKnowledge",
    summary: "The best chunks of a bot's ready documents for a query",
    tag: TAG,
    permission: "bots:read",
    params: botParams,
    body: knowledgeSearchInputSchema.strict(),
    success: { status: 200, description: "Ranked chunks", schema: knowledgeSearchResultSchema },
    errors: [404, 422],
    handler: async ({ ctx, params, body }) => ({
      items: await searchKnowledge(ctx, params.botId as string, body),
    }),
  }),
];
