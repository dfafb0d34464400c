import type { Database, KnowledgeDocument as KnowledgeDocumentRow } from "@parley/db";
import { mergeHybrid, type VectorHit } from "./hybrid-ranking";
import type {
  ChunkEmbeddings,
  ClaimedDocument,
  IndexedDetails,
  KnowledgeDocumentInfo,
  KnowledgeSearchOptions,
  KnowledgeStore,
  NewKnowledgeChunk,
  NewKnowledgeDocument,
  RetrievedChunk,
} from "./knowledge-store";
import { ensureKnowledgeVectors, type VectorSupport } from "./pgvector-setup";

function toInfo(row: KnowledgeDocumentRow): KnowledgeDocumentInfo {
  return {
    id: row.id,
    botId: row.botId,
    title: row.title,
    source: row.source,
    ...(row.sourceUrl ? { sourceUrl: row.sourceUrl } : {}),
    ...(row.mimeType ? { mimeType: row.mimeType } : {}),
    contentHash: row.contentHash ?? "",
    byteSize: row.byteSize,
    language: row.language,
    status: row.status,
    ...(row.error ? { error: row.error } : {}),
    chunkCount: row.chunkCount,
    createdAt: row.createdAt,
    ...(row.indexedAt ? { indexedAt: row.indexedAt } : {}),
  };
}

interface SearchRow {
  chunk_id: string;
  document_id: string;
  title: string;
  source_url: string | null;
  content: string;
  metadata: { heading?: string; page?: number } | null;
  score: number;
  rank: number;
}

/**
 * Chunks whose search vector matches any of the question's lexemes (an OR query built from
 * `plainto_tsquery`, served by the GIN index), scored by the share of the question's lexemes they
 * contain, ties broken by `ts_rank_cd`. The search vector is maintained by a trigger from each
 * chunk's content in its document's language.
 */
const SEARCH_SQL = `
WITH q AS (
  SELECT replace(plainto_tsquery($3::regconfig, $4)::text, ' & ', ' | ')::tsquery AS query,
         tsvector_to_array(to_tsvector($3::regconfig, $4)) AS lexemes
)
SELECT c.id AS chunk_id, c.document_id, d.title, d.source_url, c.content, c.metadata,
       (SELECT count(*) FROM unnest(tsvector_to_array(c.search_vector)) AS l(lexeme) WHERE l.lexeme = ANY (q.lexemes))::float8
         / greatest(cardinality(q.lexemes), 1) AS score,
       ts_rank_cd(c.search_vector, q.query, 32)::float8 AS rank
FROM q, knowledge_chunks c
JOIN knowledge_documents d ON d.tenant_id = c.tenant_id AND d.id = c.document_id
WHERE c.tenant_id = $1 AND c.bot_id = $2 AND d.status = 'ready'
  AND cardinality(q.lexemes) > 0 AND c.search_vector @@ q.query
ORDER BY score DESC, rank DESC, c.ordinal
LIMIT $5`;

/** The chunks most similar to a vector, among the bot's ready documents embedded in the same space. */
const VECTOR_SQL = `
SELECT c.id AS chunk_id, c.document_id, d.title, d.source_url, c.content, c.metadata,
       (1 - (e.embedding <=> $3::vector))::float8 AS similarity
FROM knowledge_embeddings e
JOIN knowledge_chunks c ON c.tenant_id = e.tenant_id AND c.id = e.chunk_id
JOIN knowledge_documents d ON d.tenant_id = c.tenant_id AND d.id = c.document_id
WHERE e.tenant_id = $1 AND e.bot_id = $2 AND e.space = $4 AND d.status = 'ready'
ORDER BY e.embedding <=> $3::vector
LIMIT $5`;

/** Stores a document's vectors, matched to its chunks by ordinal (one JSON parameter per batch). */
const INSERT_VECTORS_SQL = `
INSERT INTO knowledge_embeddings (chunk_id, tenant_id, bot_id, space, embedding)
SELECT c.id, c.tenant_id, c.bot_id, $3, e.embedding::vector
FROM jsonb_to_recordset($4::jsonb) AS e(ordinal int, embedding text)
JOIN knowledge_chunks c ON c.tenant_id = $1 AND c.document_id = $2 AND c.ordinal = e.ordinal`;

interface VectorRow extends Omit<SearchRow, "score" | "rank"> {
  similarity: number;
}

/** Options of {@link PostgresKnowledgeStore}. */
export interface PostgresKnowledgeStoreOptions {
  /**
   * `auto` (default): keep and search vectors when the server offers pgvector (the table is set up
   * on first use, see ensureKnowledgeVectors); `off`: full-text only.
   */
  vectors?: "auto" | "off";
  /** How long "no pgvector" is believed before asking the server again, in ms (default 5 minutes). */
  recheckAfterMs?: number;
}

/**
 * The {@link KnowledgeStore} over the platform database: knowledge_documents and knowledge_chunks
 * through the tenant-scoped client (scoping layer + row-level security), Postgres full-text search,
 * combined with pgvector similarity when the server has the extension and vectors are given.
 */
export class PostgresKnowledgeStore implements KnowledgeStore {
  private vectorCheck: { at: number; support: Promise<VectorSupport> } | undefined;

  constructor(
    private readonly db: Pick<Database, "forTenant" | "system">,
    private readonly options: PostgresKnowledgeStoreOptions = {},
  ) {}

  /** Whether vectors are kept, and why not (the studio shows the reason). */
  vectorSupport(): Promise<VectorSupport> {
    if (this.options.vectors === "off")
      return Promise.resolve({ available: false, reason: "vectors are switched off" });
    const now = Date.now();
    const check = this.vectorCheck;
    const stale = check && now - check.at > (this.options.recheckAfterMs ?? 5 * 60_000);
    if (!check || stale) {
      const support = ensureKnowledgeVectors(this.db);
      this.vectorCheck = { at: now, support };
      // A positive answer holds for the process's life; a negative one is asked again later
      // (pgvector may be installed meanwhile).
      void support.then((result) => {
        if (result.available && this.vectorCheck) this.vectorCheck.at = Number.POSITIVE_INFINITY;
      });
      return support;
    }
    return check.support;
  }

  async supportsVectors(): Promise<boolean> {
    return (await this.vectorSupport()).available;
  }

  async createDocument(tenantId: string, document: NewKnowledgeDocument): Promise<KnowledgeDocumentInfo> {
    const row = await this.db.forTenant(tenantId).knowledgeDocument.create({
      data: {
        tenantId,
        botId: document.botId,
        title: document.title,
        source: document.source,
        sourceUrl: document.sourceUrl ?? null,
        mimeType: document.mimeType ?? null,
        contentHash: document.contentHash ?? null,
        byteSize: document.byteSize,
        language: document.language,
        status: document.pending ? "pending" : "indexing",
        ...(document.pending
          ? {
              autoTitle: document.pending.autoTitle,
              ...(document.pending.content
                ? { pendingContent: new Uint8Array(document.pending.content) }
                : {}),
            }
          : {}),
        createdById: document.createdById ?? null,
      },
    });
    return toInfo(row);
  }

  async replaceChunks(
    tenantId: string,
    documentId: string,
    chunks: NewKnowledgeChunk[],
    embeddings?: ChunkEmbeddings,
    details: IndexedDetails = {},
  ): Promise<void> {
    const withVectors = embeddings !== undefined && (await this.supportsVectors());
    const client = this.db.forTenant(tenantId);
    await client.$transaction(async (tx) => {
      const document = await tx.knowledgeDocument.findFirst({ where: { id: documentId } });
      if (!document) throw new Error(`knowledge document ${documentId} does not exist`);
      await tx.knowledgeChunk.deleteMany({ where: { documentId } });
      // Batches keep each statement well under Postgres' parameter limit.
      for (let start = 0; start < chunks.length; start += 500) {
        await tx.knowledgeChunk.createMany({
          data: chunks.slice(start, start + 500).map((chunk) => ({
            tenantId,
            botId: document.botId,
            documentId,
            ordinal: chunk.ordinal,
            content: chunk.content,
            language: document.language,
            tokenCount: chunk.tokenCount,
            metadata: chunk.metadata,
          })),
        });
      }
      if (withVectors && embeddings) {
        const rows = chunks.flatMap((chunk, index) => {
          const vector = embeddings.vectors[index];
          return vector ? [{ ordinal: chunk.ordinal, embedding: `[${vector.join(",")}]` }] : [];
        });
        // Batches keep each JSON parameter a few megabytes at most (1536 floats are ~15 kB of text).
        for (let start = 0; start < rows.length; start += 100) {
          await tx.$executeRawUnsafe(
            INSERT_VECTORS_SQL,
            tenantId,
            documentId,
            embeddings.space,
            JSON.stringify(rows.slice(start, start + 100)),
          );
        }
      }
      await tx.knowledgeDocument.update({
        where: { id: documentId },
        data: {
          ...details,
          status: "ready",
          error: null,
          chunkCount: chunks.length,
          indexedAt: new Date(),
          pendingContent: null,
          autoTitle: false,
        },
      });
    });
  }

  async markFailed(tenantId: string, documentId: string, error: string): Promise<void> {
    await this.db.forTenant(tenantId).knowledgeDocument.updateMany({
      where: { id: documentId },
      data: { status: "failed", error: error.slice(0, 2_000), pendingContent: null },
    });
  }

  async claimPending(tenantId: string, documentId: string): Promise<ClaimedDocument | undefined> {
    const client = this.db.forTenant(tenantId);
    const { count } = await client.knowledgeDocument.updateMany({
      where: { id: documentId, status: { in: ["pending", "indexing"] } },
      data: { status: "indexing" },
    });
    if (count === 0) return undefined;
    const row = await client.knowledgeDocument.findFirst({ where: { id: documentId } });
    if (!row) return undefined;
    return {
      document: toInfo(row),
      ...(row.pendingContent ? { content: new Uint8Array(row.pendingContent) } : {}),
      autoTitle: row.autoTitle,
    };
  }

  async findByHash(
    tenantId: string,
    botId: string,
    contentHash: string,
  ): Promise<KnowledgeDocumentInfo | undefined> {
    const row = await this.db
      .forTenant(tenantId)
      .knowledgeDocument.findFirst({ where: { botId, contentHash }, orderBy: { createdAt: "desc" } });
    return row ? toInfo(row) : undefined;
  }

  async listDocuments(tenantId: string, botId: string): Promise<KnowledgeDocumentInfo[]> {
    const rows = await this.db
      .forTenant(tenantId)
      .knowledgeDocument.findMany({ where: { botId }, orderBy: { createdAt: "desc" } });
    return rows.map(toInfo);
  }

  async deleteDocument(tenantId: string, documentId: string): Promise<boolean> {
    const { count } = await this.db
      .forTenant(tenantId)
      .knowledgeDocument.deleteMany({ where: { id: documentId } });
    return count > 0;
  }

  async search(
    tenantId: string,
    botId: string,
    query: string,
    options: KnowledgeSearchOptions,
  ): Promise<RetrievedChunk[]> {
    const client = this.db.forTenant(tenantId);
    const embedding = options.embedding && (await this.supportsVectors()) ? options.embedding : undefined;
    // With vectors, each list contributes three times the limit, then the merge keeps the best.
    const depth = embedding ? options.limit * 3 : options.limit;
    const textRows = (await client.$queryRawUnsafe(
      SEARCH_SQL,
      tenantId,
      botId,
      options.language,
      query,
      depth,
    )) as SearchRow[];
    const textHits = textRows.map((row) => ({
      ...chunkOf(row),
      score: Number(row.score),
      rank: Number(row.rank),
    }));
    if (!embedding) return textHits;
    const vectorRows = (await client.$queryRawUnsafe(
      VECTOR_SQL,
      tenantId,
      botId,
      `[${embedding.vector.join(",")}]`,
      embedding.space,
      depth,
    )) as VectorRow[];
    const vectorHits: VectorHit[] = vectorRows.map((row) => ({
      chunk: chunkOf(row),
      similarity: Number(row.similarity),
    }));
    return mergeHybrid(textHits, vectorHits, {
      limit: options.limit,
      minSimilarity: embedding.minSimilarity,
    });
  }
}

function chunkOf(row: Omit<SearchRow, "score" | "rank">): VectorHit["chunk"] {
  return {
    chunkId: row.chunk_id,
    documentId: row.document_id,
    title: row.title,
    ...(row.source_url ? { sourceUrl: row.source_url } : {}),
    content: row.content,
    ...(row.metadata?.heading ? { heading: row.metadata.heading } : {}),
    ...(row.metadata?.page ? { page: row.metadata.page } : {}),
  };
}
