import type { GuardedHttpClient } from "@parley/infra";
import type { UrlFetcher } from "./url-fetcher";

/**
 * A {@link UrlFetcher} over the platform's guarded (SSRF-safe) HTTP client. That client returns
 * bodies as UTF-8 text, so binary documents (PDF) are refused with a clear error rather than indexed
 * corrupted; upload PDFs as files meanwhile.
 */
export function guardedUrlFetcher(client: GuardedHttpClient): UrlFetcher {
  return {
    async fetch(url, { signal }) {
      const response = await client.request(
        { method: "GET", url, headers: { accept: "text/html, text/markdown, text/plain;q=0.9, */*;q=0.5" } },
        { signal },
      );
      const contentType = response.headers["content-type"] ?? "";
      if (/^application\/pdf\b/i.test(contentType) || /\.pdf$/i.test(new URL(response.url).pathname)) {
        throw new Error(
          "PDF documents cannot be fetched by URL yet (the guarded HTTP client returns text); upload the file instead",
        );
      }
      return {
        url: response.url,
        status: response.status,
        contentType,
        body: new TextEncoder().encode(response.body),
      };
    },
  };
}
