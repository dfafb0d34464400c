import { z } from "zod";

/**
 * Wire schemas of a bot's knowledge base: documents (upload text, Markdown, HTML or PDF, or URLs),
 * their indexing status, deletion and the retrieval test, as the studio's knowledge page and the
 * REST API (`/api/v1/bots/{botId}/knowledge/...`) use them. zod only.
 */

/** Largest uploaded file, in bytes (the knowledge base itself accepts up to 20 MB). */
export const MAX_KNOWLEDGE_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Formats a knowledge document can be uploaded in. */
export const knowledgeFormatSchema = z.enum(["text", "markdown", "html", "pdf"]);
/** Formats a knowledge document can be uploaded in. */
export type KnowledgeFormat = z.infer<typeof knowledgeFormatSchema>;

/** The media types uploads may declare, and the format each is read as. */
export const KNOWLEDGE_MEDIA_TYPES = {
  "text/plain": "text",
  "text/markdown": "markdown",
  "text/x-markdown": "markdown",
  "text/html": "html",
  "application/pdf": "pdf",
} as const satisfies Record<string, KnowledgeFormat>;

/** A media type an upload may declare. */
export const knowledgeMediaTypeSchema = z.enum(
  Object.keys(KNOWLEDGE_MEDIA_TYPES) as [
    keyof typeof KNOWLEDGE_MEDIA_TYPES,
    ...(keyof typeof KNOWLEDGE_MEDIA_TYPES)[],
  ],
  { error: `must be one of ${Object.keys(KNOWLEDGE_MEDIA_TYPES).join(", ")}` },
);

const languageSchema = z
  .string()
  .min(2)
  .max(16)
  .default("en")
  .describe("Language code of the text (en, de...): decides stemming");
const titleSchema = z.string().trim().min(1).max(300);
const httpUrlSchema = z.url({ protocol: /^https?$/, error: "not an http(s) URL" });

/** Indexing state: `pending` (queued), `indexing`, `ready` (searchable) or `failed` (see `error`). */
export const knowledgeStatusSchema = z.enum(["pending", "indexing", "ready", "failed"]);

/** A knowledge document as listed: never its content. */
export const knowledgeDocumentViewSchema = z.object({
  id: z.string(),
  botId: z.string(),
  title: z.string(),
  source: z.enum(["text", "markdown", "html", "pdf", "url"]),
  sourceUrl: z.string().optional(),
  mimeType: z.string().optional(),
  contentHash: z.string(),
  byteSize: z.number().int(),
  language: z.string(),
  status: knowledgeStatusSchema,
  /** Why indexing failed. */
  error: z.string().optional(),
  chunkCount: z.number().int(),
  createdAt: z.date().or(z.string()),
  indexedAt: z.date().or(z.string()).optional(),
});
/** A knowledge document as listed. */
export type KnowledgeDocumentView = z.infer<typeof knowledgeDocumentViewSchema>;

/** One file as the studio uploads it: text formats as text, PDF base64-encoded (tRPC speaks JSON). */
export const knowledgeFileUploadSchema = z.object({
  title: titleSchema.optional(),
  format: knowledgeFormatSchema,
  encoding: z.enum(["text", "base64"]).default("text"),
  content: z
    .string()
    .min(1, "the file is empty")
    .max(
      Math.ceil((MAX_KNOWLEDGE_UPLOAD_BYTES * 4) / 3) + 4,
      `the file is larger than ${MAX_KNOWLEDGE_UPLOAD_BYTES / 1024 / 1024} MB`,
    ),
  /** Original file name (for the title when the document has none). */
  fileName: z.string().max(300).optional(),
  language: languageSchema,
});
/** One file as the studio uploads it. */
export type KnowledgeFileUpload = z.input<typeof knowledgeFileUploadSchema>;

/** URLs to fetch (through the SSRF-safe client) and index. */
export const knowledgeUrlListSchema = z.object({
  urls: z.array(httpUrlSchema).min(1, "give at least one URL").max(20, "at most 20 URLs at a time"),
  language: languageSchema,
});

/**
 * `POST /api/v1/bots/{botId}/knowledge/documents` with a JSON body: exactly one of `text` (with
 * `mediaType` text/plain, text/markdown or text/html; default text/plain), `url` or `urls`.
 * Files (PDF included) go as `multipart/form-data` with a `file` part instead.
 */
export const knowledgeDocumentsInputSchema = z
  .object({
    title: titleSchema.optional(),
    text: z
      .string()
      .min(1, "the text is empty")
      .max(
        MAX_KNOWLEDGE_UPLOAD_BYTES,
        `the text is larger than ${MAX_KNOWLEDGE_UPLOAD_BYTES / 1024 / 1024} MB`,
      )
      .optional(),
    url: httpUrlSchema.optional(),
    urls: knowledgeUrlListSchema.shape.urls.optional(),
    mediaType: knowledgeMediaTypeSchema.exclude(["application/pdf"]).optional(),
    language: languageSchema,
  })
  .strict()
  .superRefine((input, ctx) => {
    const given = [input.text, input.url, input.urls].filter((value) => value !== undefined).length;
    if (given !== 1)
      ctx.addIssue({
        code: "custom",
        path: ["text"],
        message: "give exactly one of text, url or urls",
      });
    if (input.mediaType && input.text === undefined)
      ctx.addIssue({ code: "custom", path: ["mediaType"], message: "mediaType describes text; give text" });
  });
/** The JSON body of a document upload. */
export type KnowledgeDocumentsInput = z.input<typeof knowledgeDocumentsInputSchema>;

/** What an upload answers: the document (queued as `pending`), or the existing one with the same content. */
export const knowledgeUploadResultSchema = z.object({
  document: knowledgeDocumentViewSchema,
  /** True when identical content is already in the bot's knowledge base (nothing was added). */
  duplicate: z.boolean(),
});

/** What adding URLs answers, per URL: the queued document, or why the URL was refused. */
export const knowledgeUrlResultSchema = z.discriminatedUnion("ok", [
  z.object({ url: z.string(), ok: z.literal(true), document: knowledgeDocumentViewSchema }),
  z.object({ url: z.string(), ok: z.literal(false), error: z.string() }),
]);

/** `POST .../knowledge/documents` answers the documents it queued (one for a file or text, one per URL). */
export const knowledgeDocumentsResultSchema = z.object({
  items: z.array(knowledgeUploadResultSchema.or(knowledgeUrlResultSchema)),
});

/** The retrieval test: the best chunks for a query. */
export const knowledgeSearchInputSchema = z.object({
  query: z.string().trim().min(1, "type something to search for").max(1_000),
  limit: z.number().int().min(1).max(20).default(5),
  language: languageSchema,
});
/** The retrieval test's input. */
export type KnowledgeSearchInput = z.input<typeof knowledgeSearchInputSchema>;

/** One chunk found, with its document and position. */
export const retrievedChunkSchema = z.object({
  chunkId: z.string(),
  documentId: z.string(),
  title: z.string(),
  sourceUrl: z.string().optional(),
  content: z.string(),
  heading: z.string().optional(),
  page: z.number().optional(),
  /** Relevance 0..1; 0.5 means "just relevant". */
  score: z.number(),
  rank: z.number(),
  similarity: z.number().optional(),
});

/** The retrieval test's answer. */
export const knowledgeSearchResultSchema = z.object({ items: z.array(retrievedChunkSchema) });
