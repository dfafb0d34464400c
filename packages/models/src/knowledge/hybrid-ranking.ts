import type { RetrievedChunk } from "./knowledge-store";

/** A chunk found by vector search, with its cosine similarity to the question. */
export interface VectorHit {
  chunk: Omit<RetrievedChunk, "score" | "rank" | "similarity">;
  similarity: number;
}

/**
 * A cosine similarity on the full-text relevance scale (0..1, 0.5 = just relevant): linear from 0
 * to `minSimilarity` (-> 0.5) and from there to 1 (-> 1). Models spread similarities differently,
 * so each model's "just relevant" point is configured rather than guessed.
 */
export function similarityScore(similarity: number, minSimilarity: number): number {
  const s = Math.min(Math.max(similarity, 0), 1);
  const m = Math.min(Math.max(minSimilarity, 1e-6), 1 - 1e-6);
  return s <= m ? (0.5 * s) / m : 0.5 + (0.5 * (s - m)) / (1 - m);
}

/** Reciprocal-rank fusion constant (the usual 60: damps the weight of the very first ranks). */
const RRF_K = 60;

/**
 * Combines full-text hits (best first) and vector hits (most similar first): a chunk's score is the
 * better of its full-text score and its similarity score, so a passage that answers in other words
 * is found, and one that matches the words is not lost; chunks of equal score are ordered by
 * reciprocal-rank fusion of both lists (`rank`).
 */
export function mergeHybrid(
  textHits: readonly RetrievedChunk[],
  vectorHits: readonly VectorHit[],
  options: { limit: number; minSimilarity: number },
): RetrievedChunk[] {
  const merged = new Map<string, RetrievedChunk>();
  textHits.forEach((hit, index) => {
    merged.set(hit.chunkId, { ...hit, rank: 1 / (RRF_K + index + 1) });
  });
  vectorHits.forEach((hit, index) => {
    const score = similarityScore(hit.similarity, options.minSimilarity);
    const fused = 1 / (RRF_K + index + 1);
    const existing = merged.get(hit.chunk.chunkId);
    merged.set(
      hit.chunk.chunkId,
      existing
        ? {
            ...existing,
            score: Math.max(existing.score, score),
            rank: existing.rank + fused,
            similarity: hit.similarity,
          }
        : { ...hit.chunk, score, rank: fused, similarity: hit.similarity },
    );
  });
  return [...merged.values()].sort((a, b) => b.score - a.score || b.rank - a.rank).slice(0, options.limit);
}

/** Cosine similarity of two vectors of equal length (0 when either is all zeros). */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index++) {
    const x = a[index] ?? 0;
    const y = b[index] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}
