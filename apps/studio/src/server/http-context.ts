import { resolveSession } from "@parley/core";
import { sessionCookieHeader, sessionTokenFromCookieHeader } from "./auth/sessions";
import type { RequestMeta, StudioContext, StudioServices } from "./context";

/** The origin a request was addressed to, as the browser sees it (behind a proxy: X-Forwarded-*). */
function selfOriginOf(request: Request): string {
  const url = new URL(request.url);
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? url.host;
  const proto = request.headers.get("x-forwarded-proto") ?? url.protocol.replace(/:$/, "");
  return `${proto}://${host}`;
}

/** Request facts from the Fetch API request. */
export function requestMetaOf(request: Request): RequestMeta {
  const forwarded = request.headers.get("x-forwarded-for");
  return {
    sessionToken: sessionTokenFromCookieHeader(request.headers.get("cookie")),
    csrfToken: request.headers.get("x-csrf-token"),
    origin: request.headers.get("origin"),
    selfOrigin: selfOriginOf(request),
    ipAddress: forwarded
      ? (forwarded.split(",")[0]?.trim() ?? null)
      : (request.headers.get("x-real-ip") ?? null),
    userAgent: request.headers.get("user-agent"),
  };
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
