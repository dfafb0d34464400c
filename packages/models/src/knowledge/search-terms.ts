// biome-ignore format: a word list reads better in rows
const STOP_WORDS = new Set([
  "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how", "i", "in", "is",
  "it", "me", "my", "of", "on", "or", "our", "the", "to", "what", "when", "where", "which", "who", "why", "with",
  "you", "your", "we", "there", "this", "that", "about", "have", "has", "please", "tell", "if", "will", "would",
  "should", "could", "was", "were", "been", "being", "am", "any", "all", "so", "than", "then", "them", "they",
  "their", "into", "not", "no", "yes", "get", "got", "much", "many", "long",
]);

/**
 * Search terms of a text for the in-memory store: lower-cased words without stop words, with a
 * light suffix stemming (plural s, -ing, -ed) so "refunds"/"refunded" meet "refund".
 */
export function searchTerms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((word) => !STOP_WORDS.has(word))
    .map((word) => {
      if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
      if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2);
      if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
      return word;
    });
}
