import { resolveSession } from "@parley/core";
import { clientAddress, isTrustedPeer } from "@parley/infra";
import { studioEnv } from "../env";
import { sessionCookieHeader, sessionTokenFromCookieHeader } from "./auth/sessions";
import type { RequestMeta, StudioContext, StudioServices } from "./context";

/**
 * Header carrying the TCP peer's address, set by `parley start`'s preload (packages/cli/bin/studio-peer.cjs)
 * on every request, replacing any the client sent. The preload also sets PARLEY_STUDIO_PEER_HEADER=1;
 * without it (plain `next start`, `next dev`) the peer is unknown and no forwarded header is believed.
 */
const PEER_HEADER = "x-parley-peer-address";

/** The configured proxies, parsed once with the rest of the environment. */
const trusted = () => studioEnv().TRUSTED_PROXIES;

/** The request's TCP peer, when the launcher told us (see {@link PEER_HEADER}). */
function peerOf(request: Request): string | null {
  if (process.env.PARLEY_STUDIO_PEER_HEADER !== "1") return null;
  return request.headers.get(PEER_HEADER) || null;
}

/**
 * The origin a request was addressed to, as the browser sees it. X-Forwarded-Host/-Proto count only
 * from a trusted proxy (TRUSTED_PROXIES); otherwise the Host header over plain HTTP (what
 * `next start` serves).
 */
function selfOriginOf(request: Request, viaTrustedProxy: boolean): string {
  const url = new URL(request.url);
  const host =
    (viaTrustedProxy ? firstValue(request.headers.get("x-forwarded-host")) : null) ??
    request.headers.get("host") ??
    url.host;
  const proto = viaTrustedProxy ? (firstValue(request.headers.get("x-forwarded-proto")) ?? "http") : "http";
  return `${proto}://${host}`;
}

/** Request facts from the Fetch API request. */
export function requestMetaOf(request: Request): RequestMeta {
  const peer = peerOf(request);
  const viaTrustedProxy = peer !== null && isTrustedPeer(peer, trusted());
  return {
    sessionToken: sessionTokenFromCookieHeader(request.headers.get("cookie")),
    csrfToken: request.headers.get("x-csrf-token"),
    origin: request.headers.get("origin"),
    selfOrigin: selfOriginOf(request, viaTrustedProxy),
    // The audit log's address: the first untrusted hop of X-Forwarded-For behind trusted proxies,
    // the peer itself otherwise (never a header a client wrote).
    ipAddress:
      peer === null
        ? null
        : clientAddress(peer, request.headers.get("x-forwarded-for") ?? undefined, trusted()),
    userAgent: request.headers.get("user-agent"),
  };
}

/** "a, b" -> "a" (proxies append; the first is what the client addressed). */
function firstValue(header: string | null): string | null {
  const first = header?.split(",")[0]?.trim();
  return first ? first : null;
}
/** Builds a procedure context for an HTTP request; cookies are written to `responseHeaders`. */
export async function createHttpContext(
  services: StudioServices,
  request: Request,
  responseHeaders: Headers,
): Promise<StudioContext> {
  const meta = requestMetaOf(request);
  const secure = meta.selfOrigin?.startsWith("https:") ?? false;
  return {
    ...services,
    request: meta,
    auth: await resolveSession(services.core, meta.sessionToken, services.now()),
    cookies: {
      set: (token, expiresAt) =>
        responseHeaders.append("set-cookie", sessionCookieHeader(token, expiresAt, secure)),
      clear: () => responseHeaders.append("set-cookie", sessionCookieHeader(null, null, secure)),
    },
  };
}
