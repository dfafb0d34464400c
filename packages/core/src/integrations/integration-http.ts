import { createHmac } from "node:crypto";
import type { IntegrationSettings } from "@parley/contract";
import type { HttpPort, HttpRequest, HttpResponse } from "@parley/engine";
import { forbiddenHeaderReason, type HttpHeaderContext } from "@parley/flow-schema";
import { connectorById } from "../connectors/catalogue";
import {
  mapOperationResponse,
  type ResolvedOperation,
  resolveOperationRequest,
} from "../connectors/operation-request";
import type { CoreDeps } from "../context";
import { configCache } from "../internal/config-cache";
import { isUuid } from "../internal/ids";
import { accessTokenFor, type OAuthCredentials, TokenRefreshError } from "./oauth2-tokens";
import {
  BrokenCircuitError,
  backoffMs,
  breakerOf,
  openElsewhere,
  pause,
  retryAfterMs,
  retryable,
  settingsOf,
} from "./resilience";
import { secretRedactor } from "./secret-redaction";
import { readStoredCredentials, type StoredCredentials, secretsOf } from "./stored-credentials";

/** An integration as a turn needs it (credentials still encrypted). */
interface StoredIntegration {
  id: string;
  name: string;
  baseUrl: string;
  headers: Record<string, string>;
  settings: IntegrationSettings;
  credentialsCiphertext: string | null;
  /** The catalogue connector it was created from (http nodes may call its operations). */
  connector?: string;
}

/** Why an integration request was not sent; the message never contains a secret. */
export class IntegrationRequestError extends Error {
  override readonly name = "IntegrationRequestError";
}

/** The integration an http node names (`integrationId`: id or name), through the process cache. */
export async function integrationOf(
  deps: CoreDeps,
  tenantId: string,
  ref: string,
): Promise<StoredIntegration | null> {
  const cache = configCache<StoredIntegration | null>(deps, "integrations", {
    ttlMs: 5 * 60_000,
    maxEntries: 5_000,
  });
  return cache.get(
    `${tenantId}:${ref}`,
    async () => {
      const row = await deps.db
        .forTenant(tenantId)
        .integration.findFirst({ where: isUuid(ref) ? { id: ref } : { name: ref } });
      if (!row) return null;
      const config = row.config as {
        baseUrl: string;
        headers?: Record<string, string>;
        settings?: unknown;
        connector?: string;
      };
      return {
        id: row.id,
        name: row.name,
        baseUrl: config.baseUrl,
        headers: config.headers ?? {},
        settings: settingsOf(config.settings),
        credentialsCiphertext: row.credentialsCiphertext,
        ...(config.connector ? { connector: config.connector } : {}),
      };
    },
    (value) => value !== null,
  );
}

/**
 * The URL of a request relative to the integration's base URL. It must stay under the base (same
 * origin, path below the base path): credentials are never sent anywhere else, whatever the flow
 * (or a variable substituted into its URL) says.
 */
function confinedUrl(baseUrl: string, path: string): string {
  const base = new URL(baseUrl);
  const basePath = base.pathname.endsWith("/") ? base.pathname : `${base.pathname}/`;
  // "/contacts" and "contacts" both mean "under the base"; a scheme or "//host" would leave it.
  const relative = path.replace(/^\/+(?!\/)/, "");
  const target = new URL(relative, new URL(basePath, base.origin));
  if (target.origin !== base.origin || !`${target.pathname}/`.startsWith(basePath)) {
    throw new IntegrationRequestError("the request URL leaves the integration's base URL");
  }
  return target.toString();
}

/** What the credentials add: headers, the secret strings to keep out of anything the flow sees. */
interface AddedCredentials {
  headers: Record<string, string>;
  secrets: string[];
  /** The header a `header`, `api-key` or `hmac` credential uses (a flow may not set it). */
  credentialHeader?: string;
  /** A query parameter to add (`api-key` in the query). */
  query?: { name: string; value: string };
  /** The OAuth2 access token sent (refreshed once if the API answers 401). */
  token?: string;
}

/**
 * What credentials add to one request. `hmac` signs the exact body bytes sent (the empty string
 * without a body): `<header>: <algorithm>=<lowercase hex HMAC-<algorithm>(secret, body)>`.
 * OAuth2 types get a cached (or fresh) access token as `Authorization: Bearer`.
 */
async function authenticate(
  deps: CoreDeps,
  owner: { tenantId: string; integrationId: string; ciphertext: string },
  stored: StoredCredentials,
  body: string | undefined,
  options: { signal: AbortSignal; rejected?: string },
): Promise<AddedCredentials> {
  const credentials = stored.credentials;
  switch (credentials.type) {
    case "bearer":
      return { headers: { authorization: `Bearer ${credentials.token}` }, secrets: [credentials.token] };
    case "basic": {
      const pair = `${credentials.username}:${credentials.password}`;
      const encoded = Buffer.from(pair).toString("base64");
      // The header's own token is a secret too: an echo may encode it again (base64 of base64).
      return {
        headers: { authorization: `Basic ${encoded}` },
        secrets: [pair, encoded, credentials.password].filter((secret) => secret.length >= 4),
      };
    }
    case "header":
      return {
        headers: { [credentials.name.toLowerCase()]: credentials.value },
        secrets: [credentials.value],
        credentialHeader: credentials.name,
      };
    case "api-key":
      return credentials.in === "query"
        ? {
            headers: {},
            secrets: [credentials.value],
            query: { name: credentials.name, value: credentials.value },
          }
        : {
            headers: { [credentials.name.toLowerCase()]: credentials.value },
            secrets: [credentials.value],
            credentialHeader: credentials.name,
          };
    case "hmac": {
      const digest = createHmac(credentials.algorithm, credentials.secret)
        .update(body ?? "", "utf8")
        .digest("hex");
      return {
        headers: { [credentials.header.toLowerCase()]: `${credentials.algorithm}=${digest}` },
        secrets: [credentials.secret],
        credentialHeader: credentials.header,
      };
    }
    case "oauth2-client-credentials":
    case "oauth2-authorization-code": {
      const token = await accessTokenFor(deps, owner, credentials as OAuthCredentials, options);
      return {
        headers: { authorization: `Bearer ${token}` },
        secrets: [token, ...secretsOf(stored)],
        token,
      };
    }
  }
}

/**
 * Refuses a request whose flow headers set `Host` or a hop-by-hop header, or on an integration call
 * a credential header (publishing refuses such flows; this covers flows published before the rule).
 */
function refuseForbiddenHeaders(headers: Record<string, string>, context: HttpHeaderContext) {
  for (const name of Object.keys(headers)) {
    const reason = forbiddenHeaderReason(name, context);
    if (reason) throw new IntegrationRequestError(`refused to send the "${name}" header: ${reason}`);
  }
}

/** One integration call as analytics records it (`integration.call`). */
export interface IntegrationCall {
  integrationId: string;
  /** The final HTTP status, or null when no response came (network, timeout, breaker, token). */
  status: number | null;
  outcome: "success" | "error";
  durationMs: number;
  attempts: number;
}

/** Options of {@link integrationHttpPort}. */
export interface IntegrationPortOptions {
  /** `test`: the studio's test chat (integrations with an enabled mock answer with it). */
  mode?: "live" | "test";
  /** Called once per integration call (the turn records them as `integration.call` events). */
  onCall?: (call: IntegrationCall) => void;
}

/** What {@link sendIntegrationRequest} sent last (for the sandbox), credentials included. */
export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Every secret in it, to mask before anyone sees it. */
  secrets: string[];
}

/**
 * Wraps a turn's http port: a request naming an integration (`integrationId`) is resolved against
 * the tenant's integration: its URL confined to the base URL, the integration's headers added and
 * its credentials decrypted and injected (OAuth2: a cached access token, refreshed ahead of expiry
 * and once on a 401), and sent through the guarded client with cross-origin redirects not
 * followed, under the integration's resilience settings (per-attempt time limit, retries with
 * backoff and jitter, its circuit breaker). A flow header that would set `Host`, a hop-by-hop
 * header or a credential header is refused (the node takes its error branch). The credentials
 * never reach the flow: they are not in the request the engine built (so not in traces, messages
 * or the flow JSON), and every echo of them in the response body, headers or an error, raw or
 * encoded (base64, base64url, URL-encoding, hex), is redacted before the engine sees it.
 * Requests without an integration go to `inner` unchanged (after the same `Host` and hop-by-hop
 * header rule).
 */
export function integrationHttpPort(
  deps: CoreDeps,
  tenantId: string,
  inner: HttpPort | undefined,
  options: IntegrationPortOptions = {},
): HttpPort {
  return {
    async request(request, callOptions) {
      if (!request.integrationId) {
        if (!inner) throw new IntegrationRequestError("no http port is configured");
        refuseForbiddenHeaders(request.headers, { integration: false });
        return inner.request(request, callOptions);
      }
      return sendIntegrationRequest(deps, tenantId, request, callOptions.signal, options);
    },
  };
}

/** Decrypted credentials and secret redactors by ciphertext / secret set (decrypting per call costs). */
const storedByCiphertext = new Map<string, StoredCredentials>();
const redactors = new Map<string, (text: string) => string>();
const CACHE_LIMIT = 1_000;

function storedOf(deps: CoreDeps, tenantId: string, integrationId: string, ciphertext: string) {
  const key = `${tenantId}:${integrationId}:${ciphertext}`;
  let stored = storedByCiphertext.get(key);
  if (!stored) {
    stored = readStoredCredentials(
      deps.vault as NonNullable<CoreDeps["vault"]>,
      tenantId,
      integrationId,
      ciphertext,
    );
    if (storedByCiphertext.size >= CACHE_LIMIT) storedByCiphertext.clear();
    storedByCiphertext.set(key, stored);
  }
  return stored;
}

function redactorFor(secrets: readonly string[]) {
  const key = secrets.join("\u0000");
  let redact = redactors.get(key);
  if (!redact) {
    redact = secretRedactor(secrets);
    if (redactors.size >= CACHE_LIMIT) redactors.clear();
    redactors.set(key, redact);
  }
  return redact;
}

/** A response that counts as a failure for the circuit breaker (5xx, 429) but goes to the flow. */
class FailedResponse extends Error {
  constructor(readonly response: HttpResponse) {
    super(`HTTP ${response.status}`);
  }
}

/** A connector operation named by the node, resolved into method, path and body (else undefined). */
async function resolvedOperation(
  integration: StoredIntegration,
  ref: string,
  request: HttpRequest,
): Promise<ResolvedOperation | undefined> {
  if (!request.operation) return undefined;
  const connector = integration.connector ? connectorById(integration.connector) : undefined;
  if (!connector) {
    throw new IntegrationRequestError(
      `the integration "${ref}" was not created from a connector, so it has no operations`,
    );
  }
  return resolveOperationRequest(connector, request);
}

/**
 * Sends one http-node request through its integration (see {@link integrationHttpPort}); the
 * sandbox calls it directly with `capture` to see the request as sent.
 */
export async function sendIntegrationRequest(
  deps: CoreDeps,
  tenantId: string,
  request: HttpRequest,
  signal: AbortSignal,
  options: IntegrationPortOptions & { capture?: (sent: SentRequest) => void } = {},
): Promise<HttpResponse & { attempts: number; mocked?: boolean }> {
  const started = performance.now();
  const ref = request.integrationId as string;
  let status: number | null = null;
  let attempts = 0;
  let integrationId: string | undefined;
  try {
    const integration = await integrationOf(deps, tenantId, ref);
    if (!integration) throw new IntegrationRequestError(`there is no integration "${ref}"`);
    integrationId = integration.id;
    const mock = integration.settings.mock;
    if (options.mode === "test" && mock?.enabled) {
      const body = typeof mock.body === "string" ? mock.body : JSON.stringify(mock.body ?? null);
      status = mock.status;
      return {
        status: mock.status,
        headers: { "content-type": "application/json" },
        body,
        attempts: 0,
        mocked: true,
      };
    }
    // A connector operation becomes a plain request (method, path, body); its answer is mapped back.
    const operation = await resolvedOperation(integration, ref, request);
    const sent = operation?.request ?? request;
    const response = await callThroughBreaker(deps, tenantId, integration, sent, signal, options, (n) => {
      attempts = n;
    });
    status = response.status;
    const answer = operation ? await mapOperationResponse(operation.operation, response) : response;
    return { ...answer, attempts };
  } finally {
    if (integrationId && options.onCall) {
      options.onCall({
        integrationId,
        status,
        outcome: status !== null && status >= 200 && status < 300 ? "success" : "error",
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        attempts,
      });
    }
  }
}

async function callThroughBreaker(
  deps: CoreDeps,
  tenantId: string,
  integration: StoredIntegration,
  request: HttpRequest,
  signal: AbortSignal,
  options: { capture?: (sent: SentRequest) => void },
  onAttempt: (attempt: number) => void,
): Promise<HttpResponse> {
  if (!deps.http) throw new IntegrationRequestError("outbound HTTP is not configured");
  let stored: StoredCredentials | null = null;
  if (integration.credentialsCiphertext) {
    if (!deps.vault) throw new IntegrationRequestError("integration credentials need PARLEY_SECRET_KEY");
    try {
      stored = storedOf(deps, tenantId, integration.id, integration.credentialsCiphertext);
    } catch {
      throw new IntegrationRequestError(
        `the credentials of integration "${integration.name}" cannot be read (key rotated away?)`,
      );
    }
  }
  const credentialHeader = stored ? staticCredentialHeader(stored) : undefined;
  refuseForbiddenHeaders(request.headers, {
    integration: true,
    ...(credentialHeader ? { credentialHeader } : {}),
  });
  const baseUrl = confinedUrl(integration.baseUrl, request.url);
  const breaker = breakerOf(deps, tenantId, integration.id, integration.settings);
  if (await openElsewhere(deps, tenantId, integration.id)) {
    throw new IntegrationRequestError(
      `the circuit breaker of integration "${integration.name}" is open after repeated failures (in another runtime process): calls fail fast until it half-opens`,
    );
  }
  try {
    return await breaker.execute(() =>
      attemptAll(deps, tenantId, integration, stored, request, baseUrl, signal, options, onAttempt),
    );
  } catch (error) {
    if (error instanceof FailedResponse) return error.response;
    if (error instanceof BrokenCircuitError) {
      throw new IntegrationRequestError(
        `the circuit breaker of integration "${integration.name}" is open after repeated failures: calls fail fast until it half-opens`,
      );
    }
    throw error;
  }
}

/** The header a static credential owns (a flow may not set it). */
function staticCredentialHeader(stored: StoredCredentials): string | undefined {
  const credentials = stored.credentials;
  if (credentials.type === "header") return credentials.name;
  if (credentials.type === "api-key" && credentials.in === "header") return credentials.name;
  if (credentials.type === "hmac") return credentials.header;
  return undefined;
}

/** The attempts of one call: retries with backoff, one token refresh on a 401. */
async function attemptAll(
  deps: CoreDeps,
  tenantId: string,
  integration: StoredIntegration,
  stored: StoredCredentials | null,
  request: HttpRequest,
  baseUrl: string,
  signal: AbortSignal,
  options: { capture?: (sent: SentRequest) => void },
  onAttempt: (attempt: number) => void,
): Promise<HttpResponse> {
  const http = deps.http as NonNullable<CoreDeps["http"]>;
  const settings = integration.settings;
  const owner = {
    tenantId,
    integrationId: integration.id,
    ciphertext: integration.credentialsCiphertext ?? "",
  };
  let rejected: string | undefined;
  let refreshedOn401 = false;
  let attempt = 0;
  let sends = 0;
  for (;;) {
    attempt += 1;
    sends += 1;
    onAttempt(sends);
    const attemptSignal = AbortSignal.any([signal, AbortSignal.timeout(settings.timeoutMs)]);
    let added: AddedCredentials = { headers: {}, secrets: [] };
    if (stored) {
      try {
        added = await authenticate(deps, owner, stored, request.body, {
          signal: attemptSignal,
          ...(rejected ? { rejected } : {}),
        });
      } catch (error) {
        if (error instanceof TokenRefreshError) throw new IntegrationRequestError(error.message);
        throw error;
      }
    }
    const redact = redactorFor(added.secrets);
    const headers: Record<string, string> = {};
    const set = (name: string, value: string) => {
      for (const existing of Object.keys(headers))
        if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
      headers[name] = value;
    };
    for (const [name, value] of Object.entries(integration.headers)) set(name, value);
    for (const [name, value] of Object.entries(request.headers)) set(name, value);
    for (const [name, value] of Object.entries(added.headers)) set(name, value);
    let url = baseUrl;
    if (added.query) {
      const target = new URL(url);
      target.searchParams.set(added.query.name, added.query.value);
      url = target.toString();
    }
    options.capture?.({
      method: request.method,
      url,
      headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      secrets: added.secrets,
    });
    let response: HttpResponse;
    try {
      const sent = await http.request(
        {
          method: request.method,
          url,
          headers,
          ...(request.body === undefined ? {} : { body: request.body }),
        },
        {
          signal: attemptSignal,
          redirects: "same-origin",
          ...(added.credentialHeader ? { credentialHeaders: [added.credentialHeader] } : {}),
        },
      );
      response = {
        status: sent.status,
        headers: Object.fromEntries(
          Object.entries(sent.headers).map(([name, value]) => [name, redact(value)]),
        ),
        body: redact(sent.body),
      };
    } catch (error) {
      const timedOut = attemptSignal.aborted && !signal.aborted;
      const reason = timedOut
        ? `no answer within ${settings.timeoutMs} ms`
        : redact((error as Error).message ?? String(error));
      if (
        !signal.aborted &&
        attempt <= settings.retries &&
        retryable(request.method, { networkError: true })
      ) {
        await pause(backoffMs(settings, attempt), signal);
        continue;
      }
      throw new IntegrationRequestError(sends > 1 ? `${reason} (after ${sends} attempts)` : reason);
    }
    if (response.status === 401 && added.token && !refreshedOn401) {
      // The token was revoked or expired early: refresh once, not counted as a retry.
      refreshedOn401 = true;
      rejected = added.token;
      attempt -= 1;
      continue;
    }
    if (attempt <= settings.retries && retryable(request.method, { status: response.status })) {
      const now = deps.clock?.now() ?? Date.now();
      await pause(backoffMs(settings, attempt, retryAfterMs(response.headers, now)), signal);
      continue;
    }
    if (response.status >= 500 || response.status === 429) throw new FailedResponse(response);
    return response;
  }
}
