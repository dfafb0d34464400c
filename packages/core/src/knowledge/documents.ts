import {
  KNOWLEDGE_MEDIA_TYPES,
  type KnowledgeDocumentsInput,
  type KnowledgeDocumentView,
  type KnowledgeFileUpload,
  type KnowledgeFormat,
  type KnowledgeSearchInput,
  knowledgeDocumentsInputSchema,
  knowledgeFileUploadSchema,
  knowledgeSearchInputSchema,
  knowledgeUrlListSchema,
} from "@parley/contract";
import type { KnowledgeContext, KnowledgeDocumentInfo, RetrievedChunk } from "@parley/models";
import type { z } from "zod";
import { recordAudit } from "../audit";
import { loadBot } from "../bots/bots";
import { actorCan, authorize, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { withModelErrors } from "../model-settings/model-errors";
import { modelParts } from "../model-settings/model-services";
import { enqueueKnowledgeIndexing } from "./indexing-job";

/** What an upload answers: the queued document, or the existing one with the same content. */
export interface KnowledgeUploadResult {
  document: KnowledgeDocumentView;
  duplicate: boolean;
}

/** What adding one URL answers. */
export type KnowledgeUrlResult =
  | { url: string; ok: true; document: KnowledgeDocumentView }
  | { url: string; ok: false; error: string };

/** The knowledge context of a bot of the caller's tenant; a foreign or unknown bot is not found. */
async function botContext(ctx: ServiceContext, botId: string): Promise<KnowledgeContext> {
  const bot = await loadBot(ctx, botId);
  return {
    tenantId: ctx.tenantId,
    botId: bot.id,
    ...(ctx.actor.type === "user" ? { userId: ctx.actor.userId } : {}),
  };
}

/** A document as the audit log records it: what it is, never its content. */
function auditedDocument(document: KnowledgeDocumentInfo) {
  return {
    botId: document.botId,
    title: document.title,
    source: document.source,
    ...(document.sourceUrl ? { sourceUrl: document.sourceUrl } : {}),
    byteSize: document.byteSize,
    status: document.status,
  };
}

/** A bot's documents, newest first, with their indexing status and chunk count. Needs `bots:read`. */
export async function listKnowledgeDocuments(
  ctx: ServiceContext,
  botId: string,
): Promise<KnowledgeDocumentView[]> {
  authorize(ctx, "bots:read");
  return modelParts(ctx.deps).knowledge.listDocuments(await botContext(ctx, botId));
}

/** An uploaded file's content as the knowledge base takes it (text decoded, PDF as bytes). */
export interface KnowledgeFile {
  format: KnowledgeFormat;
  content: string | Uint8Array;
  title?: string;
  /** Original file name: the title when neither `title` nor the document gives one. */
  fileName?: string;
  language?: string;
}

/**
 * Adds one document to a bot's knowledge base: stored as `pending` and indexed by the `knowledge`
 * job (extraction never runs on the request path). Identical content already in the bot's base is
 * a `duplicate` (nothing added). Needs `knowledge:write`; audited without the content.
 */
export async function uploadKnowledgeDocument(
  ctx: ServiceContext,
  botId: string,
  file: KnowledgeFile,
): Promise<KnowledgeUploadResult> {
  authorize(ctx, "knowledge:write");
  const context = await botContext(ctx, botId);
  // "shipping.md" -> "shipping": the title when neither the form nor the document has one.
  const fileName = file.fileName?.replace(/\.[A-Za-z0-9]{1,10}$/, "").trim();
  const result = await withModelErrors("knowledge-document", () =>
    modelParts(ctx.deps).knowledge.queueDocument(context, {
      format: file.format,
      content: file.content,
      language: file.language ?? "en",
      ...(file.title ? { title: file.title } : {}),
      ...(fileName ? { fileName } : {}),
    }),
  );
  if (!result.duplicate) {
    await recordAudit(tenantDb(ctx), ctx, {
      action: "knowledge_document.create",
      targetType: "knowledge_document",
      targetId: result.document.id,
      after: auditedDocument(result.document),
    });
    await enqueueKnowledgeIndexing(ctx.deps, ctx.tenantId, result.document.id);
  }
  return { document: result.document, duplicate: result.duplicate };
}

const fieldError = (path: string, message: string, code: string) =>
  new ServiceError("invalid", code, message, { errors: [{ path, message }] });

const FORMAT_BY_EXTENSION: Record<string, KnowledgeFormat> = {
  txt: "text",
  md: "markdown",
  markdown: "markdown",
  html: "html",
  htm: "html",
  pdf: "pdf",
};

/**
 * The format an uploaded file is read as: its declared media type (`mediaType` field, else the
 * part's content type) when it is one the knowledge base reads, else its file name's extension.
 * Anything else is refused on `mediaType`.
 */
export function knowledgeFormatOf(file: { mediaType?: string; contentType?: string; fileName?: string }) {
  const known = KNOWLEDGE_MEDIA_TYPES as Record<string, KnowledgeFormat>;
  const declared = file.mediaType?.split(";")[0]?.trim().toLowerCase();
  if (declared) {
    const format = known[declared];
    if (!format)
      throw fieldError(
        "mediaType",
        `mediaType must be one of ${Object.keys(known).join(", ")}`,
        "unsupported-media-type",
      );
    return format;
  }
  const byType = known[file.contentType?.split(";")[0]?.trim().toLowerCase() ?? ""];
  if (byType) return byType;
  const byName = FORMAT_BY_EXTENSION[file.fileName?.toLowerCase().split(".").pop() ?? ""];
  if (byName) return byName;
  throw fieldError(
    "mediaType",
    "the file is not text, Markdown, HTML or PDF: give mediaType or a .txt, .md, .html or .pdf name",
    "unsupported-media-type",
  );
}

/**
 * {@link uploadKnowledgeDocument} with the studio's file encoding: text formats as text or base64,
 * PDF base64-encoded.
 */
export async function uploadKnowledgeFile(
  ctx: ServiceContext,
  botId: string,
  input: KnowledgeFileUpload,
): Promise<KnowledgeUploadResult> {
  authorize(ctx, "knowledge:write");
  const upload = parseInput(knowledgeFileUploadSchema, input, "upload");
  const bytes =
    upload.encoding === "base64" ? new Uint8Array(Buffer.from(upload.content, "base64")) : undefined;
  if (bytes && bytes.byteLength === 0)
    throw fieldError("content", "the file is empty or not base64", "document-empty");
  if (upload.format === "pdf" && !bytes)
    throw fieldError("encoding", "a PDF must be sent base64-encoded", "document-encoding");
  return uploadKnowledgeDocument(ctx, botId, {
    format: upload.format,
    content: bytes && upload.format !== "pdf" ? new TextDecoder().decode(bytes) : (bytes ?? upload.content),
    language: upload.language,
    ...(upload.title ? { title: upload.title } : {}),
    ...(upload.fileName ? { fileName: upload.fileName } : {}),
  });
}

/**
 * Queues URLs to fetch (through the SSRF-safe client, in the indexing job) and index; each URL is
 * its own document, a refused URL does not stop the others. Needs `knowledge:write`; audited.
 */
export async function addKnowledgeUrls(
  ctx: ServiceContext,
  botId: string,
  input: z.input<typeof knowledgeUrlListSchema>,
): Promise<KnowledgeUrlResult[]> {
  authorize(ctx, "knowledge:write");
  const { urls, language } = parseInput(knowledgeUrlListSchema, input, "URL list");
  const context = await botContext(ctx, botId);
  const results: KnowledgeUrlResult[] = [];
  for (const url of urls) {
    try {
      const document = await modelParts(ctx.deps).knowledge.queueUrl(context, url, { language });
      await recordAudit(tenantDb(ctx), ctx, {
        action: "knowledge_document.create",
        targetType: "knowledge_document",
        targetId: document.id,
        after: auditedDocument(document),
      });
      await enqueueKnowledgeIndexing(ctx.deps, ctx.tenantId, document.id);
      results.push({ url, ok: true, document });
    } catch (error) {
      results.push({ url, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}

/**
 * The REST API's JSON upload (`POST /api/v1/bots/{botId}/knowledge/documents`): `text` (read as
 * its `mediaType`), one `url` or several `urls`. Needs `knowledge:write`.
 */
export async function addKnowledgeDocuments(
  ctx: ServiceContext,
  botId: string,
  input: KnowledgeDocumentsInput,
): Promise<{ items: Array<KnowledgeUploadResult | KnowledgeUrlResult> }> {
  authorize(ctx, "knowledge:write");
  const body = parseInput(knowledgeDocumentsInputSchema, input, "document");
  if (body.text !== undefined) {
    const format = KNOWLEDGE_MEDIA_TYPES[body.mediaType ?? "text/plain"];
    const result = await uploadKnowledgeDocument(ctx, botId, {
      format,
      content: body.text,
      language: body.language,
      ...(body.title ? { title: body.title } : {}),
    });
    return { items: [result] };
  }
  const urls = body.urls ?? (body.url ? [body.url] : []);
  return { items: await addKnowledgeUrls(ctx, botId, { urls, language: body.language }) };
}

/** Removes a document and its chunks. Needs `knowledge:write`; audited. */
export async function deleteKnowledgeDocument(
  ctx: ServiceContext,
  botId: string,
  documentId: string,
): Promise<void> {
  authorize(ctx, "knowledge:write");
  const context = await botContext(ctx, botId);
  const { knowledge } = modelParts(ctx.deps);
  const document = (await knowledge.listDocuments(context)).find((candidate) => candidate.id === documentId);
  if (!document) throw notFound("knowledge-document", documentId);
  await knowledge.deleteDocument(context, document.id);
  await recordAudit(tenantDb(ctx), ctx, {
    action: "knowledge_document.delete",
    targetType: "knowledge_document",
    targetId: document.id,
    before: auditedDocument(document),
  });
}

/**
 * The best chunks of a bot's ready documents for a query, ranked (the retrieval test). Needs
 * `bots:read`; vector ranking (an embedding call on the tenant's budget) needs `flows:write` too.
 */
export async function searchKnowledge(
  ctx: ServiceContext,
  botId: string,
  input: KnowledgeSearchInput,
): Promise<RetrievedChunk[]> {
  authorize(ctx, "bots:read");
  const { query, limit, language } = parseInput(knowledgeSearchInputSchema, input, "search");
  const context = await botContext(ctx, botId);
  // Embedding the query spends the tenant's model budget: only roles that may spend it (flows:write,
  // like the test chat and "try it") get vector ranking; the others get full-text ranking.
  return modelParts(ctx.deps).knowledge.search(context, query, {
    limit,
    language,
    vectors: actorCan(ctx.actor, "flows:write"),
  });
}
