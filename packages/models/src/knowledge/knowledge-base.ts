import { createHash } from "node:crypto";
import {
  type KnowledgeAnswer,
  type KnowledgePort,
  type KnowledgeQuestion,
  knowledgeQuestionSchema,
} from "@parley/engine";
import { z } from "zod";
import type { ModelOrchestrator } from "../orchestrator/orchestrator";
import { type ChunkOptions, chunkSections } from "./chunk-text";
import { citationOf } from "./citation";
import {
  DocumentExtractionError,
  type DocumentFormat,
  documentFormatSchema,
  extractDocumentText,
} from "./extract-text";
import { extractiveAnswer } from "./extractive-answer";
import { buildGroundedPrompt, parseGroundedAnswer } from "./grounded-prompt";
import {
  type ChunkEmbeddings,
  type KnowledgeDocumentInfo,
  type KnowledgeStore,
  type QueryEmbedding,
  type RetrievedChunk,
  textSearchConfigFor,
} from "./knowledge-store";
import type { UrlFetcher } from "./url-fetcher";

/** Which bot's knowledge base, and who acts. */
export interface KnowledgeContext {
  tenantId: string;
  botId: string;
  /** Member who uploaded (studio). */
  userId?: string;
  conversationId?: string;
  /** Model route for grounded answers when the question names none (default: the bot's default route). */
  route?: string;
}

/** A document to add. */
export const documentUploadSchema = z.object({
  /** Defaults to the title found in the document, else "Untitled". */
  title: z.string().min(1).max(300).optional(),
  format: documentFormatSchema,
  /** Text formats as a string; PDF as bytes. */
  content: z.union([
    z.string(),
    z.custom<Uint8Array>((value) => value instanceof Uint8Array, "must be a string or bytes"),
  ]),
  sourceUrl: z.url().optional(),
  /** Name of the uploaded file: the title when neither `title` nor the document gives one. */
  fileName: z.string().min(1).max(300).optional(),
  mimeType: z.string().optional(),
  /** Language code of the text (`en`, `de`...); decides stemming. Default `en`. */
  language: z.string().min(2).default("en"),
});
/** A document to add. */
export type DocumentUpload = z.input<typeof documentUploadSchema>;

/** Outcome of adding one document. */
export interface IngestResult {
  document: KnowledgeDocumentInfo;
  /** True when identical content was already indexed for the bot (nothing was added). */
  duplicate: boolean;
  /** The vector space its chunks were embedded in; absent when indexed for full-text search only. */
  vectorSpace?: string;
}

/** Outcome of fetching and adding one URL. */
export type UrlIngestResult =
  | { url: string; ok: true; result: IngestResult }
  | { url: string; ok: false; error: string };

/** A grounded answer with what produced it (for the studio's test box and traces). */
export interface KnowledgeAnswerDetails {
  answer: KnowledgeAnswer;
  passages: RetrievedChunk[];
  /** `model` when a language model wrote it, `extractive` when it is the best passage itself. */
  mode: "model" | "extractive" | "none";
  model?: string;
}

/** Options of {@link KnowledgeBase}. */
export interface KnowledgeBaseOptions {
  store: KnowledgeStore;
  /** Writes grounded answers; without it (or when the offline provider answers) answers are extractive. */
  orchestrator?: ModelOrchestrator;
  /** Fetches URL lists (the platform's guarded, SSRF-safe HTTP client). */
  fetcher?: UrlFetcher;
  chunking?: ChunkOptions;
  /** Largest document accepted, in bytes (default 20 MB). */
  maxDocumentBytes?: number;
}

const FORMAT_BY_TYPE: Array<[RegExp, DocumentFormat]> = [
  [/^application\/pdf\b/i, "pdf"],
  [/^text\/html\b|^application\/xhtml\+xml\b/i, "html"],
  [/^text\/markdown\b|^text\/x-markdown\b/i, "markdown"],
  [/^text\//i, "text"],
];

/** The media type of each upload format (stored with the document). */
const MEDIA_TYPES: Record<DocumentFormat, string> = {
  text: "text/plain",
  markdown: "text/markdown",
  html: "text/html",
  pdf: "application/pdf",
};

/** Format of a fetched document from its content type (or its URL's extension). */
export function formatFor(contentType: string, url: string): DocumentFormat | undefined {
  for (const [pattern, format] of FORMAT_BY_TYPE) if (pattern.test(contentType)) return format;
  const path = new URL(url).pathname.toLowerCase();
  if (path.endsWith(".pdf")) return "pdf";
  if (path.endsWith(".md") || path.endsWith(".markdown")) return "markdown";
  if (path.endsWith(".html") || path.endsWith(".htm")) return "html";
  if (path.endsWith(".txt")) return "text";
  return undefined;
}

/**
 * A bot's knowledge base: documents in (text, Markdown, HTML, PDF, URL lists), chunked with overlap
 * and indexed for full-text search; questions out, as answers grounded in the retrieved passages
 * with citations, or an honest "no answer" when nothing relevant is found.
 */
export class KnowledgeBase {
  constructor(private readonly options: KnowledgeBaseOptions) {}

  /**
   * Stores one document as `pending`, for {@link indexQueued} to index off the request path (the
   * job queue's worker). Only what is cheap is checked here: the size limit (a RangeError) and
   * identical content already indexed, being indexed or waiting for the bot (`duplicate`, nothing
   * added). An unreadable document fails later, with the reason on the document.
   */
  async queueDocument(context: KnowledgeContext, upload: DocumentUpload): Promise<IngestResult> {
    const input = documentUploadSchema.parse(upload);
    const bytes = typeof input.content === "string" ? new TextEncoder().encode(input.content) : input.content;
    const limit = this.options.maxDocumentBytes ?? 20 * 1024 * 1024;
    if (bytes.byteLength > limit) {
      throw new RangeError(`the document is ${bytes.byteLength} bytes; the limit is ${limit}`);
    }
    const contentHash = createHash("sha256").update(bytes).digest("hex");
    const existing = await this.options.store.findByHash(context.tenantId, context.botId, contentHash);
    if (existing && existing.status !== "failed") return { document: existing, duplicate: true };
    const document = await this.options.store.createDocument(context.tenantId, {
      botId: context.botId,
      title: input.title ?? input.fileName ?? input.sourceUrl ?? "Untitled",
      source: input.sourceUrl ? "url" : input.format,
      ...(input.sourceUrl ? { sourceUrl: input.sourceUrl } : {}),
      mimeType: input.mimeType ?? MEDIA_TYPES[input.format],
      contentHash,
      byteSize: bytes.byteLength,
      language: textSearchConfigFor(input.language),
      ...(context.userId ? { createdById: context.userId } : {}),
      pending: { content: bytes, autoTitle: input.title === undefined },
    });
    return { document, duplicate: false };
  }

  /**
   * Stores a URL as a `pending` document; {@link indexQueued} fetches it through the guarded client
   * and indexes it. The URL must be http(s).
   */
  async queueUrl(
    context: KnowledgeContext,
    url: string,
    options: { language?: string } = {},
  ): Promise<KnowledgeDocumentInfo> {
    const parsed = z.url({ protocol: /^https?$/ }).parse(url.trim(), { error: () => "not an http(s) URL" });
    return this.options.store.createDocument(context.tenantId, {
      botId: context.botId,
      title: parsed,
      source: "url",
      sourceUrl: parsed,
      byteSize: 0,
      language: textSearchConfigFor(options.language ?? "en"),
      ...(context.userId ? { createdById: context.userId } : {}),
      pending: { autoTitle: true },
    });
  }

  /**
   * Indexes a queued document: fetches it (a URL), extracts its text, chunks, embeds (when the tenant
   * has an embedding model) and stores the chunks; status `indexing`, then `ready` or `failed` with
   * the reason. Returns undefined when there is nothing to index (deleted meanwhile, or done). With
   * `rethrow`, a failure is thrown after being recorded (synchronous callers); otherwise the failed
   * document is returned (the job worker: a document that cannot be read is not retried).
   */
  async indexQueued(
    tenantId: string,
    documentId: string,
    options: { signal?: AbortSignal; rethrow?: boolean } = {},
  ): Promise<IngestResult | undefined> {
    const claimed = await this.options.store.claimPending(tenantId, documentId);
    if (!claimed) return undefined;
    const { document } = claimed;
    const context = { tenantId, botId: document.botId };
    try {
      const source = claimed.content
        ? { format: document.source as DocumentFormat, bytes: claimed.content, details: {} }
        : await this.fetchDocument(document, options.signal);
      const content = source.format === "pdf" ? source.bytes : new TextDecoder().decode(source.bytes);
      const extracted = await extractDocumentText(source.format, content);
      const chunks = chunkSections(extracted.sections, this.options.chunking);
      if (chunks.length === 0) throw new DocumentExtractionError("the document contains no text");
      const embeddings = await this.embedPassages(
        context,
        chunks.map((chunk) => chunk.content),
      );
      await this.options.store.replaceChunks(
        tenantId,
        document.id,
        chunks.map((chunk) => ({
          ordinal: chunk.ordinal,
          content: chunk.content,
          tokenCount: Math.ceil(chunk.content.length / 4),
          metadata: {
            offset: chunk.offset,
            ...(chunk.heading ? { heading: chunk.heading } : {}),
            ...(chunk.page ? { page: chunk.page } : {}),
          },
        })),
        embeddings,
        { ...source.details, ...(claimed.autoTitle && extracted.title ? { title: extracted.title } : {}) },
      );
      const indexed =
        (await this.options.store.listDocuments(tenantId, document.botId)).find(
          (d) => d.id === document.id,
        ) ?? document;
      return {
        document: indexed,
        duplicate: false,
        ...(embeddings ? { vectorSpace: embeddings.space } : {}),
      };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.options.store.markFailed(tenantId, document.id, reason);
      if (options.rethrow) throw error;
      return { document: { ...document, status: "failed", error: reason }, duplicate: false };
    }
  }

  /** Fetches a URL document through the guarded client: its bytes, format and what the response says. */
  private async fetchDocument(document: KnowledgeDocumentInfo, signal: AbortSignal | undefined) {
    const fetcher = this.options.fetcher;
    if (!fetcher) throw new Error("no URL fetcher is configured for the knowledge base");
    if (!document.sourceUrl) throw new DocumentExtractionError("the document has neither content nor a URL");
    const response = await fetcher.fetch(document.sourceUrl, {
      signal: signal ?? AbortSignal.timeout(30_000),
      maxBytes: this.options.maxDocumentBytes ?? 20 * 1024 * 1024,
    });
    if (response.status < 200 || response.status >= 300) throw new Error(`HTTP ${response.status}`);
    const format = formatFor(response.contentType, response.url);
    if (!format) throw new Error(`unsupported content type "${response.contentType}"`);
    const mimeType = response.contentType.split(";")[0]?.trim();
    return {
      format,
      bytes: response.body,
      details: {
        sourceUrl: response.url,
        contentHash: createHash("sha256").update(response.body).digest("hex"),
        byteSize: response.body.byteLength,
        ...(mimeType ? { mimeType } : {}),
      },
    };
  }

  /**
   * Extracts, chunks and indexes one document right away ({@link queueDocument} then
   * {@link indexQueued}). A failure is recorded on the document and rethrown.
   */
  async ingestDocument(context: KnowledgeContext, upload: DocumentUpload): Promise<IngestResult> {
    const queued = await this.queueDocument(context, upload);
    if (queued.duplicate) return queued;
    const result = await this.indexQueued(context.tenantId, queued.document.id, { rethrow: true });
    return result ?? queued;
  }

  /** Fetches each URL through the guarded client and indexes it now; one failing URL does not stop the others. */
  async ingestUrls(
    context: KnowledgeContext,
    urls: readonly string[],
    options: { signal?: AbortSignal; language?: string } = {},
  ): Promise<UrlIngestResult[]> {
    if (!this.options.fetcher) throw new Error("no URL fetcher is configured for the knowledge base");
    const results: UrlIngestResult[] = [];
    for (const url of urls) {
      try {
        const queued = await this.queueUrl(context, url, options);
        const result = await this.indexQueued(context.tenantId, queued.id, {
          rethrow: true,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        results.push({ url, ok: true, result: result ?? { document: queued, duplicate: false } });
      } catch (error) {
        results.push({ url, ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return results;
  }

  listDocuments(context: KnowledgeContext): Promise<KnowledgeDocumentInfo[]> {
    return this.options.store.listDocuments(context.tenantId, context.botId);
  }

  deleteDocument(context: KnowledgeContext, documentId: string): Promise<boolean> {
    return this.options.store.deleteDocument(context.tenantId, documentId);
  }

  /**
   * The best passages for a query (the studio's retrieval test box, and the knowledge node): full-text
   * ranking, combined with vector similarity when the tenant has an embedding model and the store
   * keeps vectors. A failing embedding call falls back to full-text ranking alone.
   */
  async search(
    context: KnowledgeContext,
    query: string,
    options: { limit?: number; language?: string; signal?: AbortSignal; vectors?: boolean } = {},
  ): Promise<RetrievedChunk[]> {
    // `vectors: false`: full-text ranking only, no embedding call (no model spend).
    const embedding =
      options.vectors === false ? undefined : await this.embedQuery(context, query, options.signal);
    return this.options.store.search(context.tenantId, context.botId, query, {
      limit: options.limit ?? 5,
      language: textSearchConfigFor(options.language ?? "en"),
      ...(embedding ? { embedding } : {}),
    });
  }

  /** Whether vectors can be used for this tenant: an embedding model and a store that keeps vectors. */
  private async vectorsEnabled(context: KnowledgeContext): Promise<boolean> {
    const orchestrator = this.options.orchestrator;
    if (!orchestrator || !this.options.store.supportsVectors) return false;
    // The tenant's settings first: a store may set pgvector up on its first check.
    if (!(await orchestrator.embeddingSettings(context.tenantId))) return false;
    return this.options.store.supportsVectors();
  }

  /** Vectors of a document's passages, or undefined (no vectors, or the embedding call failed). */
  private async embedPassages(
    context: KnowledgeContext,
    passages: string[],
  ): Promise<ChunkEmbeddings | undefined> {
    if (!(await this.vectorsEnabled(context))) return undefined;
    try {
      const embedded = await this.options.orchestrator?.embed(passages, context, {
        signal: AbortSignal.timeout(120_000),
      });
      return embedded ? { space: embedded.space, vectors: embedded.vectors } : undefined;
    } catch {
      // Recorded as a failed llm.embedding event; the document stays searchable by its words.
      return undefined;
    }
  }

  /** The question's vector, or undefined (no vectors, or the embedding call failed). */
  private async embedQuery(
    context: KnowledgeContext,
    query: string,
    signal: AbortSignal | undefined,
  ): Promise<QueryEmbedding | undefined> {
    if (query.trim() === "" || !(await this.vectorsEnabled(context))) return undefined;
    try {
      const embedded = await this.options.orchestrator?.embed([query], context, {
        signal: signal ?? AbortSignal.timeout(10_000),
      });
      const vector = embedded?.vectors[0];
      return embedded && vector
        ? { space: embedded.space, vector, minSimilarity: embedded.settings.minSimilarity }
        : undefined;
    } catch (error) {
      if (signal?.aborted) throw error;
      return undefined;
    }
  }

  /**
   * Retrieves passages for the question and answers from them: through the routed model (grounded,
   * with citations) or, when the offline provider answers or no model is available, extractively
   * from the best passage. No passage at or above `minScore` (default 0.5), or a model that says
   * the passages do not answer, gives `{ answered: false }`. `knownNames` (the conversation's
   * personal names) are masked with the other personal data when the route masks PII.
   */
  async answerWithDetails(
    context: KnowledgeContext,
    question: KnowledgeQuestion,
    options: { signal: AbortSignal; knownNames?: readonly string[] },
  ): Promise<KnowledgeAnswerDetails> {
    const parsed = knowledgeQuestionSchema.parse(question);
    options.signal.throwIfAborted();
    const passages = await this.search(context, parsed.question, {
      limit: parsed.topK ?? 4,
      language: parsed.language,
      signal: options.signal,
    });
    const relevant = passages.filter((passage) => passage.score >= (parsed.minScore ?? 0.5));
    if (relevant.length === 0) return { answer: { answered: false }, passages, mode: "none" };

    const orchestrator = this.options.orchestrator;
    if (orchestrator) {
      const response = await orchestrator.complete(
        {
          // The node's route wins over the context's; `default` resolves to the bot's default route.
          route: parsed.modelRoute ?? context.route ?? "default",
          messages: buildGroundedPrompt(parsed.question, relevant, parsed.language),
          temperature: 0,
        },
        {
          tenantId: context.tenantId,
          botId: context.botId,
          ...(context.conversationId ? { conversationId: context.conversationId } : {}),
          ...(options.knownNames?.length ? { knownNames: options.knownNames } : {}),
        },
        { signal: options.signal },
      );
      if (response.record.providerKind !== "offline") {
        const grounded = parseGroundedAnswer(response.text, relevant);
        if (!grounded)
          return {
            answer: { answered: false },
            passages,
            mode: "model",
            ...(response.model ? { model: response.model } : {}),
          };
        return {
          answer: { answered: true, text: grounded.text, citations: grounded.citations },
          passages,
          mode: "model",
          ...(response.model ? { model: response.model } : {}),
        };
      }
    }
    const best = relevant[0] as RetrievedChunk;
    return {
      answer: {
        answered: true,
        text: extractiveAnswer(parsed.question, best),
        citations: [citationOf(best)],
      },
      passages,
      mode: "extractive",
    };
  }

  /** {@link answerWithDetails} without the details: the engine's knowledge port shape. */
  async answer(
    context: KnowledgeContext,
    question: KnowledgeQuestion,
    options: { signal: AbortSignal; knownNames?: readonly string[] },
  ) {
    return (await this.answerWithDetails(context, question, options)).answer;
  }

  /** The engine's {@link KnowledgePort} for one bot (and conversation). */
  knowledgePort(context: KnowledgeContext): KnowledgePort {
    return { answer: (question, options) => this.answer(context, question, options) };
  }
}
