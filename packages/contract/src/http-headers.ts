/**
 * Which request headers an `http` node may set. The platform decides where a request goes and how
 * it is framed, and an integration's credentials are the integration's alone:
 * - `Host` and the hop-by-hop headers (RFC 9110 7.6.1: `Connection`, `Keep-Alive`, `Proxy-*`, `TE`,
 *   `Trailer`, `Transfer-Encoding`, `Upgrade`) are refused on every http node (a `Host` could route
 *   the request, with an integration's credentials, to another virtual host);
 * - on a node that calls an integration, the credential headers too (`Authorization`, `Cookie`,
 *   `Proxy-Authorization`, and the header an integration's `header` credential uses).
 */
const TRANSPORT = new Set([
  "host",
  "connection",
  "keep-alive",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "content-length",
]);
const CREDENTIAL = new Set(["authorization", "cookie", "proxy-authorization"]);

/** Where a header is set: on a plain http node, or on one that calls an integration. */
export interface HttpHeaderContext {
  /** The node names an integration (`integrationId`). */
  readonly integration: boolean;
  /** The header the integration's `header` credential uses (e.g. `X-Api-Key`), when known. */
  readonly credentialHeader?: string;
}

/**
 * Why an http node may not set header `name`, in words, or undefined when it may.
 * @example
 * forbiddenHeaderReason("Host", { integration: false });
 * // "the Host header is set by the platform from the URL; a flow cannot change it"
 * forbiddenHeaderReason("Authorization", { integration: true });
 * // "the Authorization header carries credentials, which the integration adds itself; ..."
 */
export function forbiddenHeaderReason(name: string, context: HttpHeaderContext): string | undefined {
  const lower = name.trim().toLowerCase();
  if (lower === "host") return "the Host header is set by the platform from the URL; a flow cannot change it";
  if (TRANSPORT.has(lower) || lower.startsWith("proxy-")) {
    if (!(context.integration && CREDENTIAL.has(lower))) {
      return `${name} is a connection header (hop-by-hop or framing) that the platform manages; a flow cannot set it`;
    }
  }
  const credential =
    CREDENTIAL.has(lower) ||
    (context.credentialHeader !== undefined && lower === context.credentialHeader.trim().toLowerCase());
  if (context.integration && credential) {
    return `the ${name} header carries credentials, which the integration adds itself; a flow cannot set it on an integration call`;
  }
  return undefined;
}
