/**
 * Request headers the guarded client decides itself: hop-by-hop headers (RFC 9110 7.6.1) and the
 * framing and routing ones (`Host`, `Content-Length`). A caller's value for them is dropped, so no
 * request (a flow's http node included) can smuggle a second request, switch protocols, or send a
 * `Host` other than the URL's.
 */
export const TRANSPORT_HEADERS: ReadonlySet<string> = new Set([
  "host",
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "content-length",
]);

/** Headers that carry credentials in every HTTP API: never sent to another origin by a redirect. */
export const CREDENTIAL_HEADERS: readonly string[] = ["authorization", "cookie", "proxy-authorization"];

/** The caller's headers, names lower-cased, without {@link TRANSPORT_HEADERS}. */
export function transportSafeHeaders(headers: Record<string, string> = {}): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!TRANSPORT_HEADERS.has(lower)) kept[lower] = value;
  }
  return kept;
}

/**
 * The headers of the request a redirect leads to: to another origin (scheme, host or port differs)
 * without `Authorization`, `Cookie`, `Proxy-Authorization` and the caller's `credentialHeaders`
 * (same-origin redirects keep them); without the body's headers when the body is not resent.
 * @example
 * redirectHeaders({ Authorization: "Bearer t", Accept: "a/b" }, { crossOrigin: true, keepBody: true, credentialHeaders: [] })
 * // { accept: "a/b" }
 */
export function redirectHeaders(
  headers: Record<string, string> | undefined,
  next: { crossOrigin: boolean; keepBody: boolean; credentialHeaders: readonly string[] },
): Record<string, string> {
  const kept = transportSafeHeaders(headers);
  if (next.crossOrigin) {
    for (const name of [...CREDENTIAL_HEADERS, ...next.credentialHeaders]) delete kept[name.toLowerCase()];
  }
  if (!next.keepBody) {
    delete kept["content-type"];
    delete kept["content-encoding"];
  }
  return kept;
}
