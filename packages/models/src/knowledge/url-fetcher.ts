/** A fetched document. */
export interface FetchedDocument {
  /** Final URL (after redirects). */
  url: string;
  status: number;
  contentType: string;
  body: Uint8Array;
}

/**
 * Fetches a URL for the knowledge base. The runtime implements it over the platform's guarded,
 * SSRF-safe HTTP client (resolve, check every address, pin, re-check redirects, fail closed);
 * implementations must stop at `maxBytes`.
 */
export interface UrlFetcher {
  fetch(url: string, options: { signal: AbortSignal; maxBytes: number }): Promise<FetchedDocument>;
}
