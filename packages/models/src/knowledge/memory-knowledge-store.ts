import { randomUUID } from "node:crypto";
import { cosineSimilarity, mergeHybrid, type VectorHit } from "./hybrid-ranking";
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
import { searchTerms } from "./search-terms";

interface StoredChunk extends NewKnowledgeChunk {
  id: string;
  terms: string[];
  vector?: { space: string; values: number[] };
}

/**
 * A {@link KnowledgeStore} in memory, for tests and tools without a database. Scoring matches the
 * Postgres store's: relevance is the share of query terms a chunk contains; ties are broken by
 * BM25; with vectors, similarity is combined the same way ({@link mergeHybrid}).
 */
export class MemoryKnowledgeStore implements KnowledgeStore {
  private readonly documents = new Map<string, KnowledgeDocumentInfo & { tenantId: string }>();
  private readonly chunks = new Map<string, StoredChunk[]>();
  private readonly pending = new Map<string, { content?: Uint8Array; autoTitle: boolean }>();

  async createDocument(tenantId: string, document: NewKnowledgeDocument): Promise<KnowledgeDocumentInfo> {
    const { createdById: _createdBy, pending, contentHash, ...rest } = document;
    const info: KnowledgeDocumentInfo & { tenantId: string } = {
      ...rest,
      contentHash: contentHash ?? "",
      tenantId,
      id: randomUUID(),
      status: pending ? "pending" : "indexing",
      chunkCount: 0,
      createdAt: new Date(),
    };
    this.documents.set(info.id, info);
    if (pending) this.pending.set(info.id, pending);
    return strip(info);
  }

  async claimPending(tenantId: string, documentId: string): Promise<ClaimedDocument | undefined> {
    const document = this.owned(tenantId, documentId);
    if (!document || (document.status !== "pending" && document.status !== "indexing")) return undefined;
    document.status = "indexing";
    const pending = this.pending.get(documentId);
    return {
      document: strip(document),
      ...(pending?.content ? { content: pending.content } : {}),
      autoTitle: pending?.autoTitle ?? false,
    };
  }

  async replaceChunks(
    tenantId: string,
    documentId: string,
    chunks: NewKnowledgeChunk[],
    embeddings?: ChunkEmbeddings,
    details: IndexedDetails = {},
  ): Promise<void> {
    const document = this.owned(tenantId, documentId);
    if (!document) throw new Error(`knowledge document ${documentId} does not exist`);
    this.chunks.set(
      documentId,
      chunks.map((chunk, index) => {
        const values = embeddings?.vectors[index];
        return {
          ...chunk,
          id: randomUUID(),
          terms: searchTerms(chunk.content),
          ...(embeddings && values ? { vector: { space: embeddings.space, values } } : {}),
        };
      }),
    );
    this.pending.delete(documentId);
    Object.assign(document, {
      ...details,
      status: "ready",
      chunkCount: chunks.length,
      indexedAt: new Date(),
      error: undefined,
    });
  }

  async markFailed(tenantId: string, documentId: string, error: string): Promise<void> {
    const document = this.owned(tenantId, documentId);
    this.pending.delete(documentId);
    if (document) Object.assign(document, { status: "failed", error });
  }

  async findByHash(
    tenantId: string,
    botId: string,
    contentHash: string,
  ): Promise<KnowledgeDocumentInfo | undefined> {
    const found = [...this.documents.values()].find(
      (d) => d.tenantId === tenantId && d.botId === botId && d.contentHash === contentHash,
    );
    return found ? strip(found) : undefined;
  }

  async listDocuments(tenantId: string, botId: string): Promise<KnowledgeDocumentInfo[]> {
    return [...this.documents.values()]
      .filter((d) => d.tenantId === tenantId && d.botId === botId)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .map(strip);
  }

  async deleteDocument(tenantId: string, documentId: string): Promise<boolean> {
    if (!this.owned(tenantId, documentId)) return false;
    this.documents.delete(documentId);
    this.chunks.delete(documentId);
    return true;
  }

  async supportsVectors(): Promise<boolean> {
    return true;
  }

  async search(
    tenantId: string,
    botId: string,
    query: string,
    options: KnowledgeSearchOptions,
  ): Promise<RetrievedChunk[]> {
    const candidates: Array<{ document: KnowledgeDocumentInfo; chunk: StoredChunk }> = [];
    for (const document of this.documents.values()) {
      if (document.tenantId !== tenantId || document.botId !== botId || document.status !== "ready") continue;
      for (const chunk of this.chunks.get(document.id) ?? []) candidates.push({ document, chunk });
    }
    const embedding = options.embedding;
    if (!embedding) return this.textSearch(candidates, query, options.limit);
    // Same candidate depth as the Postgres store: three times the limit from each list.
    const vectorHits: VectorHit[] = candidates
      .filter(({ chunk }) => chunk.vector?.space === embedding.space)
      .map(({ document, chunk }) => ({
        chunk: hitOf(document, chunk),
        similarity: cosineSimilarity(chunk.vector?.values ?? [], embedding.vector),
      }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, options.limit * 3);
    return mergeHybrid(this.textSearch(candidates, query, options.limit * 3), vectorHits, {
      limit: options.limit,
      minSimilarity: embedding.minSimilarity,
    });
  }

  private textSearch(
    candidates: Array<{ document: KnowledgeDocumentInfo; chunk: StoredChunk }>,
    query: string,
    limit: number,
  ): RetrievedChunk[] {
    const wanted = [...new Set(searchTerms(query))];
    if (wanted.length === 0) return [];
    // BM25 (k1 = 1.2, b = 0.75) over the bot's chunks breaks ties between chunks of equal coverage.
    const averageLength =
      candidates.reduce((sum, c) => sum + c.chunk.terms.length, 0) / Math.max(candidates.length, 1);
    const documentFrequency = new Map(
      wanted.map((term) => [term, candidates.filter((c) => c.chunk.terms.includes(term)).length]),
    );
    const hits: RetrievedChunk[] = [];
    for (const { document, chunk } of candidates) {
      const present = wanted.filter((term) => chunk.terms.includes(term));
      if (present.length === 0) continue;
      let bm25 = 0;
      for (const term of present) {
        const frequency = chunk.terms.filter((t) => t === term).length;
        const df = documentFrequency.get(term) ?? 0;
        const idf = Math.log(1 + (candidates.length - df + 0.5) / (df + 0.5));
        bm25 +=
          (idf * frequency * 2.2) / (frequency + 1.2 * (0.25 + (0.75 * chunk.terms.length) / averageLength));
      }
      hits.push({ ...hitOf(document, chunk), score: present.length / wanted.length, rank: bm25 });
    }
    return hits.sort((a, b) => b.score - a.score || b.rank - a.rank).slice(0, limit);
  }

  private owned(tenantId: string, documentId: string) {
    const document = this.documents.get(documentId);
    return document && document.tenantId === tenantId ? document : undefined;
  }
}

function hitOf(document: KnowledgeDocumentInfo, chunk: StoredChunk): VectorHit["chunk"] {
  return {
    chunkId: chunk.id,
    documentId: document.id,
    title: document.title,
    ...(document.sourceUrl ? { sourceUrl: document.sourceUrl } : {}),
    content: chunk.content,
    ...(chunk.metadata.heading ? { heading: chunk.metadata.heading } : {}),
    ...(chunk.metadata.page ? { page: chunk.metadata.page } : {}),
  };
}

function strip(document: KnowledgeDocumentInfo & { tenantId: string }): KnowledgeDocumentInfo {
  const { tenantId: _tenant, ...info } = document;
  return { ...info };
}
