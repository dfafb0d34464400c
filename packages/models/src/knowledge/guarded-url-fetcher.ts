import type { GuardedHttpClient } from "@parley/infra";
import type { UrlFetcher } from "./url-fetcher";

/**
 * A {@link UrlFetcher} over the platform's guarded (SSRF-safe) HTTP client: every address checked
 * and pinned, redirects re-checked, the client's time limit, and the knowledge base's own size
 * limit. Bodies come back as bytes, so binary documents (PDF) are indexed as they were served.
 */
export function guardedUrlFetcher(client: GuardedHttpClient): UrlFetcher {
  return {
    async fetch(url, { signal, maxBytes }) {
      const response = await client.requestBytes(
        {
          method: "GET",
          url,
          headers: {
            accept: "text/html, text/markdown, text/plain;q=0.9, application/pdf;q=0.9, */*;q=0.5",
          },
        },
        { signal, maxResponseBytes: maxBytes },
      );
      return {
        url: response.url,
        status: response.status,
        contentType: response.headers["content-type"] ?? "",
        body: response.body,
      };
    },
  };
}
