import type { UrlFetcher } from "../knowledge/url-fetcher";

/**
 * A URL fetcher over the global fetch with NO SSRF protection, for tests against local servers
 * only (production uses the platform's guarded client).
 */
export function unguardedTestFetcher(): UrlFetcher {
  return {
    async fetch(url, { signal, maxBytes }) {
      const response = await fetch(url, { signal, redirect: "follow" });
      const body = new Uint8Array(await response.arrayBuffer());
      if (body.byteLength > maxBytes) throw new Error(`response larger than ${maxBytes} bytes`);
      return {
        url: response.url || url,
        status: response.status,
        contentType: response.headers.get("content-type") ?? "",
        body,
      };
    },
  };
}
