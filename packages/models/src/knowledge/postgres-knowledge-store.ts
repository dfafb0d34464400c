import type { Database, KnowledgeDocument as KnowledgeDocumentRow } from "@parley/db";
import type {
  KnowledgeDocumentInfo,
  KnowledgeStore,
  NewKnowledgeChunk,
  NewKnowledgeDocument,
  RetrievedChunk,
} from "./knowledge-store";

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

/**
 * The {@link KnowledgeStore} over the platform database: knowledge_documents and knowledge_chunks
 * through the tenant-scoped client (scoping layer + row-level security), Postgres full-text search.
 */
export class PostgresKnowledgeStore implements KnowledgeStore {
  constructor(private readonly db: Pick<Database, "forTenant">) {}

  async createDocument(tenantId: string, document: NewKnowledgeDocument): Promise<KnowledgeDocumentInfo> {
    const row = await this.db.forTenant(tenantId).knowledgeDocument.create({
      data: {
        tenantId,
        botId: document.botId,
        title: document.title,
        source: document.source,
        sourceUrl: document.sourceUrl ?? null,
        mimeType: document.mimeType ?? null,
        contentHash: document.contentHash,
        byteSize: document.byteSize,
        language: document.language,
        status: "indexing",
        createdById: document.createdById ?? null,
      },
    });
    return toInfo(row);
  }

  async replaceChunks(tenantId: string, documentId: string, chunks: NewKnowledgeChunk[]): Promise<void> {
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
      await tx.knowledgeDocument.update({
        where: { id: documentId },
        data: { status: "ready", error: null, chunkCount: chunks.length, indexedAt: new Date() },
      });
    });
  }

  async markFailed(tenantId: string, documentId: string, error: string): Promise<void> {
    await this.db.forTenant(tenantId).knowledgeDocument.updateMany({
      where: { id: documentId },
      data: { status: "failed", error: error.slice(0, 2_000) },
    });
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
    options: { limit: number; language: string },
  ): Promise<RetrievedChunk[]> {
    const rows = (await this.db
      .forTenant(tenantId)
      .$queryRawUnsafe(SEARCH_SQL, tenantId, botId, options.language, query, options.limit)) as SearchRow[];
    return rows.map((row) => ({
      chunkId: row.chunk_id,
      documentId: row.document_id,
      title: row.title,
      ...(row.source_url ? { sourceUrl: row.source_url } : {}),
      content: row.content,
      ...(row.metadata?.heading ? { heading: row.metadata.heading } : {}),
      ...(row.metadata?.page ? { page: row.metadata.page } : {}),
      score: Number(row.score),
      rank: Number(row.rank),
    }));
  }
}
