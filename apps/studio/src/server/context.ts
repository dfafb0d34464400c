import type { AccountSession, CoreDeps } from "@parley/core";

/** Facts about the HTTP request a procedure runs for (all null when called directly in tests). */
export interface RequestMeta {
  /** The session cookie's token, if any. */
  readonly sessionToken: string | null;
  /** The `x-csrf-token` header (mutations must carry the session's token). */
  readonly csrfToken: string | null;
  /** The `Origin` header; a mutation from another origin is refused. */
  readonly origin: string | null;
  /** The origin the studio is served from (scheme://host), to compare `origin` with. */
  readonly selfOrigin: string | null;
  readonly ipAddress: string | null;
  readonly userAgent: string | null;
}

/** Writes the session cookie on the response. */
export interface SessionCookies {
  set(token: string, expiresAt: Date): void;
  clear(): void;
}

/** Long-lived services every procedure may use. */
export interface StudioServices {
  /** Dependencies of @parley/core's services (the service layer shared with the REST API), mailer included. */
  readonly core: CoreDeps;
  /** The runtime's public URL (widget script, embed snippet). */
  readonly runtimeUrl: string;
  /** Directory of the starter templates (examples/flows). */
  readonly templatesDir: string;
  /** Current time; tests may freeze it. */
  readonly now: () => Date;
}

/** The signed-in user and their session. */
export type SignedIn = AccountSession;

/** What a procedure runs with. Built from a request by the route handler or directly by tests. */
export interface StudioContext extends StudioServices {
  readonly request: RequestMeta;
  readonly cookies: SessionCookies;
  /** Null when nobody is signed in (or the session expired or was revoked). */
  readonly auth: SignedIn | null;
}

/** Request facts of a call made without HTTP (tests, server components). */
export const directRequest: RequestMeta = {
  sessionToken: null,
  csrfToken: null,
  origin: null,
  selfOrigin: null,
  ipAddress: null,
  userAgent: null,
};

/** Cookies of a call made without HTTP: remembers what would have been set. */
export function memoryCookies(): SessionCookies & { token: string | null } {
  const jar = {
    token: null as string | null,
    set(token: string) {
      jar.token = token;
    },
    clear() {
      jar.token = null;
    },
  };
  return jar;
}
