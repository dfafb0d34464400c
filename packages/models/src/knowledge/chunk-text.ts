import type { TextSection } from "./extract-text";

/** A retrievable piece of a document. */
export interface TextChunk {
  ordinal: number;
  content: string;
  heading?: string;
  page?: number;
  /** Character offset of the chunk within its section. */
  offset: number;
}

/** Chunk size and overlap, in characters. */
export interface ChunkOptions {
  /** Target size (default 1,000 characters, about 250 tokens). */
  size?: number;
  /** Characters repeated from the end of the previous chunk (default 150). */
  overlap?: number;
}

/** Where to cut near `end`: a paragraph break, else a sentence end, else a space, else `end`. */
function cutPoint(text: string, start: number, end: number): number {
  if (end >= text.length) return text.length;
  const window = text.slice(start, end);
  const minimum = Math.floor((end - start) * 0.5);
  for (const pattern of [/\n\s*\n/g, /[.!?](?=\s)/g, /\s/g]) {
    let best = -1;
    for (const match of window.matchAll(pattern)) {
      const at = match.index + match[0].length;
      if (at >= minimum) best = at;
    }
    if (best !== -1) return start + best;
  }
  return end;
}

/**
 * Splits sections into chunks of about `size` characters, cutting at paragraph, sentence or word
 * boundaries, each chunk starting `overlap` characters before the previous one ended (at a word
 * boundary) so a fact spanning a cut is whole in at least one chunk. Chunks never span sections,
 * so each keeps its heading and page.
 */
export function chunkSections(sections: readonly TextSection[], options: ChunkOptions = {}): TextChunk[] {
  const size = options.size ?? 1_000;
  const overlap = Math.min(options.overlap ?? 150, Math.floor(size / 2));
  const chunks: TextChunk[] = [];
  for (const section of sections) {
    const text = section.text;
    let start = 0;
    while (start < text.length) {
      const end = cutPoint(text, start, Math.min(text.length, start + size));
      const content = text.slice(start, end).trim();
      if (content) {
        chunks.push({
          ordinal: chunks.length,
          content,
          offset: start,
          ...(section.heading ? { heading: section.heading } : {}),
          ...(section.page ? { page: section.page } : {}),
        });
      }
      if (end >= text.length) break;
      // Step back by the overlap, to the start of a word.
      let next = Math.max(start + 1, end - overlap);
      while (next < end && !/\s/.test(text[next - 1] ?? " ")) next++;
      start = next;
    }
  }
  return chunks;
}
