import type { RetrievedChunk } from "./knowledge-store";
import { searchTerms } from "./search-terms";

const SHORT_ENOUGH = 500;

/**
 * The answer the offline mode gives: the best passage itself when it is short, else the sentence
 * that shares most terms with the question plus the sentences around it, up to about 500
 * characters. It never says more than the document.
 */
export function extractiveAnswer(question: string, passage: RetrievedChunk): string {
  const text = passage.content.trim();
  if (text.length <= SHORT_ENOUGH) return text;
  const sentences = text
    .match(/[^.!?\n]+(?:[.!?]+|\n|$)/g)
    ?.map((s) => s.trim())
    .filter(Boolean) ?? [text];
  const wanted = new Set(searchTerms(question));
  let best = 0;
  let bestScore = -1;
  for (const [index, sentence] of sentences.entries()) {
    const score = new Set(searchTerms(sentence).filter((term) => wanted.has(term))).size;
    if (score > bestScore) {
      best = index;
      bestScore = score;
    }
  }
  let start = best;
  let end = best + 1;
  let length = sentences[best]?.length ?? 0;
  // Grow forwards first (answers usually follow the sentence that names the topic), then backwards.
  while (end < sentences.length && length + (sentences[end]?.length ?? 0) <= SHORT_ENOUGH)
    length += sentences[end++]?.length ?? 0;
  while (start > 0 && length + (sentences[start - 1]?.length ?? 0) <= SHORT_ENOUGH)
    length += sentences[--start]?.length ?? 0;
  return sentences.slice(start, end).join(" ");
}
