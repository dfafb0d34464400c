import type { Citation } from "@parley/contract";
import type { RetrievedChunk } from "./knowledge-store";

/** Citation for a passage: document title (with page), URL, a snippet, the document id. */
export function citationOf(passage: RetrievedChunk): Citation {
  return {
    title: passage.page ? `${passage.title} (p. ${passage.page})` : passage.title,
    ...(passage.sourceUrl ? { url: passage.sourceUrl } : {}),
    snippet: passage.content.slice(0, 240),
    sourceId: passage.documentId,
  };
}
