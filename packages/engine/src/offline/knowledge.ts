import type { Citation } from "@parley/contract";
import { z } from "zod";
import type { KnowledgeAnswer, KnowledgePort, KnowledgeQuestion } from "../ports/knowledge";

/** A document of an in-memory knowledge base. */
export const knowledgeDocumentSchema = z.object({
  title: z.string().min(1),
  text: z.string().min(1),
  url: z.string().optional(),
  id: z.string().optional(),
});
/** A document of an in-memory knowledge base. */
export type KnowledgeDocument = z.infer<typeof knowledgeDocumentSchema>;

// biome-ignore format: a word list reads better in rows
const STOP_WORDS = new Set([
  "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how", "i", "in", "is",
  "it", "me", "my", "of", "on", "or", "our", "the", "to", "what", "when", "where", "which", "who", "why", "with",
  "you", "your", "we", "there", "this", "that", "about", "have", "has", "please", "tell",
]);

function terms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((word) => !STOP_WORDS.has(word))
    .map((word) => (word.length > 3 && word.endsWith("s") ? word.slice(0, -1) : word));
}

interface Passage {
  document: KnowledgeDocument;
  text: string;
  terms: Set<string>;
}

/**
 * A knowledge port over documents held in memory, for local use and tests. Retrieval is
 * keyword overlap (the share of the question's terms a paragraph contains); the answer is the
 * best paragraph itself (extractive, so it never says more than the documents), with the
 * documents of the top passages as citations. Below `minScore` it answers "no answer".
 */
export function createMemoryKnowledge(documents: readonly KnowledgeDocument[]): KnowledgePort {
  const passages: Passage[] = documents.flatMap((document) =>
    document.text
      .split(/\n\s*\n/)
      .map((text) => text.trim())
      .filter((text) => text !== "")
      .map((text) => ({ document, text, terms: new Set(terms(`${document.title} ${text}`)) })),
  );
  return {
    async answer(question: KnowledgeQuestion, { signal }): Promise<KnowledgeAnswer> {
      signal.throwIfAborted();
      const wanted = [...new Set(terms(question.question))];
      if (wanted.length === 0) return { answered: false };
      const ranked = passages
        .map((passage) => ({
          passage,
          score: wanted.filter((term) => passage.terms.has(term)).length / wanted.length,
        }))
        .filter((hit) => hit.score > 0)
        .sort((a, b) => b.score - a.score)
        .slice(0, question.topK ?? 4);
      const best = ranked[0];
      if (!best || best.score < (question.minScore ?? 0.5)) return { answered: false };
      const citations: Citation[] = [];
      for (const hit of ranked.filter((candidate) => candidate.score >= (question.minScore ?? 0.5))) {
        const { document } = hit.passage;
        if (citations.some((citation) => citation.title === document.title)) continue;
        citations.push({
          title: document.title,
          snippet: hit.passage.text.slice(0, 200),
          ...(document.url ? { url: document.url } : {}),
          ...(document.id ? { sourceId: document.id } : {}),
        });
      }
      return { answered: true, text: best.passage.text, citations };
    },
  };
}
