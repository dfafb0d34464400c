import { getBot, recordAudit, ServiceError } from "@parley/core";
import { documentFormatSchema, type KnowledgeContext, type KnowledgeDocumentInfo } from "@parley/models";
import { z } from "zod";
import type { SignedIn, StudioContext } from "../context";
import { serviceContext } from "../core-bridge";
import { withModelErrors } from "../models/model-errors";
import { idSchema, router, type TenantScope, tenantProcedure } from "../trpc";

/** Largest upload, in bytes of the file (the knowledge base itself accepts up to 20 MB). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

const botInput = z.object({ botId: idSchema });

/** One uploaded file: text formats as text, PDF base64-encoded (tRPC speaks JSON). */
const uploadSchema = botInput.extend({
  title: z.string().trim().min(1).max(300).optional(),
  format: documentFormatSchema,
  encoding: z.enum(["text", "base64"]).default("text"),
  content: z
    .string()
    .min(1, "the file is empty")
    .max(
      Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 4,
      `the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`,
    ),
  /** Original file name (for the title when the document has none). */
  fileName: z.string().max(300).optional(),
  language: z.string().min(2).max(16).default("en"),
});

const urlListSchema = botInput.extend({
  urls: z
    .array(z.url({ protocol: /^https?$/, error: "not an http(s) URL" }))
    .min(1, "give at least one URL")
    .max(20, "at most 20 URLs at a time"),
  language: z.string().min(2).max(16).default("en"),
});

const searchSchema = botInput.extend({
  query: z.string().trim().min(1, "type something to search for").max(1_000),
  limit: z.number().int().min(1).max(20).default(5),
  language: z.string().min(2).max(16).default("en"),
});

type KnowledgeCallContext = StudioContext & { auth: SignedIn; tenant: TenantScope };

/** The knowledge context of a bot of the caller's workspace; a foreign or unknown bot is not found. */
async function botContext(ctx: KnowledgeCallContext, botId: string): Promise<KnowledgeContext> {
  const bot = await getBot(serviceContext(ctx), botId);
  return { tenantId: ctx.tenant.id, botId: bot.id, userId: ctx.auth.user.id };
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
    chunkCount: document.chunkCount,
  };
}

/**
 * A bot's knowledge base: documents with their indexing status, uploads (text, Markdown, HTML,
 * PDF) and URL lists, deletion, and a retrieval test. Reading and searching need `bots:read`;
 * changing documents `knowledge:write` (owner, admin, editor: whoever builds the bot's flows
 * curates what its knowledge node answers from). Every change is audited, never with content.
 */
export const knowledgeRouter = router({
  list: tenantProcedure("bots:read")
    .input(botInput)
    .query(async ({ ctx, input }) => ctx.models.knowledge.listDocuments(await botContext(ctx, input.botId))),

  upload: tenantProcedure("knowledge:write")
    .input(uploadSchema)
    .mutation(async ({ ctx, input }) => {
      const context = await botContext(ctx, input.botId);
      const bytes =
        input.encoding === "base64" ? new Uint8Array(Buffer.from(input.content, "base64")) : undefined;
      if (bytes && bytes.byteLength === 0)
        throw new ServiceError("invalid", "document-empty", "the file is empty or not base64", {
          errors: [{ path: "content", message: "the file is empty or not base64" }],
        });
      if (input.format === "pdf" && !bytes)
        throw new ServiceError("invalid", "document-encoding", "a PDF must be sent base64-encoded", {
          errors: [{ path: "encoding", message: "a PDF must be sent base64-encoded" }],
        });
      const content =
        bytes && input.format !== "pdf" ? new TextDecoder().decode(bytes) : (bytes ?? input.content);
      // "shipping.md" -> "shipping": the title when neither the form nor the document has one.
      const fileName = input.fileName?.replace(/\.[A-Za-z0-9]+$/, "").trim();
      const result = await withModelErrors("knowledge-document", () =>
        ctx.models.knowledge.ingestDocument(context, {
          format: input.format,
          content,
          language: input.language,
          ...(input.title ? { title: input.title } : {}),
          ...(fileName ? { fileName } : {}),
        }),
      );
      if (!result.duplicate)
        await recordAudit(ctx.tenant.db, serviceContext(ctx), {
          action: "knowledge_document.create",
          targetType: "knowledge_document",
          targetId: result.document.id,
          after: auditedDocument(result.document),
        });
      return result;
    }),

  /** Fetches each URL through the guarded HTTP client and indexes it; one failure does not stop the rest. */
  addUrls: tenantProcedure("knowledge:write")
    .input(urlListSchema)
    .mutation(async ({ ctx, input }) => {
      const context = await botContext(ctx, input.botId);
      const results = await withModelErrors("knowledge-document", () =>
        ctx.models.knowledge.ingestUrls(context, input.urls, { language: input.language }),
      );
      for (const result of results) {
        if (!result.ok || result.result.duplicate) continue;
        await recordAudit(ctx.tenant.db, serviceContext(ctx), {
          action: "knowledge_document.create",
          targetType: "knowledge_document",
          targetId: result.result.document.id,
          after: auditedDocument(result.result.document),
        });
      }
      return results;
    }),

  delete: tenantProcedure("knowledge:write")
    .input(botInput.extend({ documentId: idSchema }))
    .mutation(async ({ ctx, input }) => {
      const context = await botContext(ctx, input.botId);
      const document = (await ctx.models.knowledge.listDocuments(context)).find(
        (candidate) => candidate.id === input.documentId,
      );
      if (!document)
        throw new ServiceError(
          "not_found",
          "knowledge-document-not-found",
          `knowledge document ${input.documentId} was not found`,
        );
      await ctx.models.knowledge.deleteDocument(context, document.id);
      await recordAudit(ctx.tenant.db, serviceContext(ctx), {
        action: "knowledge_document.delete",
        targetType: "knowledge_document",
        targetId: document.id,
        before: auditedDocument(document),
      });
      return { ok: true };
    }),

  /** The best chunks for a query, ranked, with their document and position (the retrieval test box). */
  search: tenantProcedure("bots:read")
    .input(searchSchema)
    .query(async ({ ctx, input }) => {
      const context = await botContext(ctx, input.botId);
      return ctx.models.knowledge.search(context, input.query, {
        limit: input.limit,
        language: input.language,
      });
    }),
});
