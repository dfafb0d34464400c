import { z } from "zod";

/** Where a knowledge document came from (the database's KnowledgeSource). */
export const knowledgeSourceSchema = z.enum(["text", "markdown", "html", "pdf", "url"]);
/** Where a knowledge document came from. */
export type KnowledgeSourceKind = z.infer<typeof knowledgeSourceSchema>;

/** Indexing state of a document (the database's KnowledgeStatus). */
export type KnowledgeDocumentStatus = "pending" | "indexing" | "ready" | "failed";

/** A knowledge document as the studio lists it. */
export interface KnowledgeDocumentInfo {
  id: string;
  botId: string;
  title: string;
  source: KnowledgeSourceKind;
  sourceUrl?: string;
  mimeType?: string;
  contentHash: string;
  byteSize: number;
  /** Postgres text search configuration of its chunks (`english`, `simple`...). */
  language: string;
  status: KnowledgeDocumentStatus;
  error?: string;
  chunkCount: number;
  createdAt: Date;
  indexedAt?: Date;
}

/** A new document (before its chunks are stored). */
export interface NewKnowledgeDocument {
  botId: string;
  title: string;
  source: KnowledgeSourceKind;
  sourceUrl?: string;
  mimeType?: string;
  /** Absent until known (a URL not fetched yet). */
  contentHash?: string;
  byteSize: number;
  language: string;
  createdById?: string;
  /**
   * Present for a document that waits for the indexing job (status `pending`): its uploaded bytes
   * (none for a URL, which the job fetches), and whether `title` is a placeholder to replace with
   * the title found in the document. Absent: the document is being indexed right away.
   */
  pending?: { content?: Uint8Array; autoTitle: boolean };
}

/** A document claimed for indexing (see {@link KnowledgeStore.claimPending}). */
export interface ClaimedDocument {
  document: KnowledgeDocumentInfo;
  /** The uploaded bytes; absent for a URL document. */
  content?: Uint8Array;
  autoTitle: boolean;
}

/** What indexing learned about a document, stored with its chunks. */
export interface IndexedDetails {
  title?: string;
  contentHash?: string;
  byteSize?: number;
  mimeType?: string;
  sourceUrl?: string;
}

/** A chunk to store. */
export interface NewKnowledgeChunk {
  ordinal: number;
  content: string;
  tokenCount: number;
  metadata: { heading?: string; page?: number; offset: number };
}

/** A chunk found for a query. */
export interface RetrievedChunk {
  chunkId: string;
  documentId: string;
  title: string;
  sourceUrl?: string;
  content: string;
  heading?: string;
  page?: number;
  /**
   * Relevance 0..1: the share of the query's search terms the chunk contains, or (hybrid retrieval)
   * its vector similarity on the same scale when that is higher; 0.5 means "just relevant".
   */
  score: number;
  /** Order among chunks of equal score (higher is better; not comparable across stores or queries). */
  rank: number;
  /** Cosine similarity to the question, when it was found or confirmed by vector search. */
  similarity?: number;
}

/** Vectors of a document's chunks: `vectors[i]` embeds `chunks[i]`, all in one vector space. */
export interface ChunkEmbeddings {
  /** The embedding model's space (see EmbeddedTexts.space); only equal spaces are compared. */
  space: string;
  vectors: number[][];
}

/** A question's vector for hybrid retrieval. */
export interface QueryEmbedding {
  space: string;
  vector: number[];
  /** Similarity that counts as just relevant for this model (maps to score 0.5). */
  minSimilarity: number;
}

/** Options of {@link KnowledgeStore.search}. */
export interface KnowledgeSearchOptions {
  limit: number;
  /** Postgres text search configuration (`english`, `simple`...). */
  language: string;
  /** With it (and a store that supports vectors), vector similarity is combined with full-text ranking. */
  embedding?: QueryEmbedding;
}

/** Where documents and chunks live, and how they are searched. Every method is scoped to one tenant. */
export interface KnowledgeStore {
  createDocument(tenantId: string, document: NewKnowledgeDocument): Promise<KnowledgeDocumentInfo>;
  /**
   * Stores the chunks (replacing any, vectors included) and marks the document ready, with what
   * indexing learned (`details`); its pending content is dropped. Vectors are kept only by stores
   * that {@link supportsVectors}; others ignore them.
   */
  replaceChunks(
    tenantId: string,
    documentId: string,
    chunks: NewKnowledgeChunk[],
    embeddings?: ChunkEmbeddings,
    details?: IndexedDetails,
  ): Promise<void>;
  /** Marks a document failed with a reason (its pending content is dropped). */
  markFailed(tenantId: string, documentId: string, error: string): Promise<void>;
  /**
   * Moves a `pending` document (or an `indexing` one whose job is run again after a crash) to
   * `indexing` and returns it with its content; undefined when there is nothing to index (deleted,
   * already ready or failed).
   */
  claimPending(tenantId: string, documentId: string): Promise<ClaimedDocument | undefined>;
  findByHash(
    tenantId: string,
    botId: string,
    contentHash: string,
  ): Promise<KnowledgeDocumentInfo | undefined>;
  listDocuments(tenantId: string, botId: string): Promise<KnowledgeDocumentInfo[]>;
  /** Removes a document and its chunks; false when it did not exist. */
  deleteDocument(tenantId: string, documentId: string): Promise<boolean>;
  /** The best chunks of the bot's ready documents for `query`, best first. */
  search(
    tenantId: string,
    botId: string,
    query: string,
    options: KnowledgeSearchOptions,
  ): Promise<RetrievedChunk[]>;
  /**
   * Whether chunk vectors can be stored and searched (Postgres: the pgvector extension). Absent:
   * no. The Postgres store may set its table up on the first call.
   */
  supportsVectors?(): Promise<boolean>;
}

/** Postgres text search configuration for a question's language code (unknown: `simple`). */
export function textSearchConfigFor(language: string): string {
  const code = language.toLowerCase().split(/[-_]/)[0] ?? "";
  const known: Record<string, string> = {
    en: "english",
    de: "german",
    fr: "french",
    es: "spanish",
    it: "italian",
    pt: "portuguese",
    nl: "dutch",
    sv: "swedish",
    da: "danish",
    no: "norwegian",
    fi: "finnish",
    ru: "russian",
    tr: "turkish",
    hu: "hungarian",
    ro: "romanian",
  };
  if (known[code]) return known[code];
  return Object.values(known).includes(code) ? code : "simple";
}
