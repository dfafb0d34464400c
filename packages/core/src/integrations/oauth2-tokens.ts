import { createHash } from "node:crypto";
import type { IntegrationAuthStatus, IntegrationCredentials } from "@parley/contract";
import { secretBinding } from "@parley/infra";
import * as oauth from "oauth4webapi";
import type { CoreDeps } from "../context";
import { configChanged } from "../internal/config-cache";
import {
  encryptStoredCredentials,
  readStoredCredentials,
  type StoredOAuthTokens,
} from "./stored-credentials";

type ClientCredentials = Extract<IntegrationCredentials, { type: "oauth2-client-credentials" }>;
type AuthorizationCode = Extract<IntegrationCredentials, { type: "oauth2-authorization-code" }>;
/** OAuth2 credentials. */
export type OAuthCredentials = ClientCredentials | AuthorizationCode;

/** A token request that failed; `reconnect` when the refresh token was refused (invalid_grant). */
export class TokenRefreshError extends Error {
  override readonly name = "TokenRefreshError";
  constructor(
    message: string,
    readonly reconnect = false,
  ) {
    super(message);
  }
}

/** An access token and when to stop using it (epoch ms). */
interface CachedToken {
  accessToken: string;
  /** Refresh from this moment on (ahead of expiry). */
  refreshAt: number;
  expiresAt: number;
}

/** Tokens without `expires_in` are used this long. */
const DEFAULT_LIFETIME_MS = 3_600_000;
/** Longest wait on a token request. */
const TOKEN_TIMEOUT_MS = 5_000;

const memory = new WeakMap<CoreDeps, Map<string, CachedToken>>();
/** Token-endpoint requests this process made (the bench counts them). */
export const tokenRequestCounter = { count: 0 };

const memoryOf = (deps: CoreDeps) => {
  let map = memory.get(deps);
  if (!map) {
    map = new Map();
    memory.set(deps, map);
  }
  return map;
};

/**
 * When to refresh a token: a tenth of its lifetime (at most a minute) before it expires, so a
 * turn never sends a token that expires in flight.
 */
function cachedToken(accessToken: string, expiresInSeconds: number | undefined, now: number): CachedToken {
  const lifetime = expiresInSeconds ? expiresInSeconds * 1000 : DEFAULT_LIFETIME_MS;
  return {
    accessToken,
    expiresAt: now + lifetime,
    refreshAt: now + lifetime - Math.min(60_000, lifetime / 10),
  };
}

const usable = (token: CachedToken | undefined, now: number, rejected?: string): token is CachedToken =>
  !!token && token.refreshAt > now && token.accessToken !== rejected;

/** Where an integration's token lives: per credentials (a change of credentials starts afresh). */
function tokenKey(tenantId: string, integrationId: string, ciphertext: string) {
  const fingerprint = createHash("sha256").update(ciphertext).digest("hex").slice(0, 16);
  return `oauth-token:${tenantId}:${integrationId}:${fingerprint}`;
}

/** The shared cache key of an integration's live token status. */
export const authStatusKey = (tenantId: string, integrationId: string) =>
  `integration-auth:${tenantId}:${integrationId}`;

/** The last token outcome of an integration seen by any process. */
export async function liveAuthStatus(
  deps: CoreDeps,
  tenantId: string,
  integrationId: string,
): Promise<{ status: IntegrationAuthStatus; detail?: string } | undefined> {
  return deps.infra.cache
    .get<{ status: IntegrationAuthStatus; detail?: string }>(authStatusKey(tenantId, integrationId))
    .catch(() => undefined);
}

async function setLiveStatus(
  deps: CoreDeps,
  tenantId: string,
  integrationId: string,
  status: IntegrationAuthStatus,
  detail?: string,
) {
  await deps.infra.cache
    .set(authStatusKey(tenantId, integrationId), detail ? { status, detail } : { status }, {
      ttlMs: 86_400_000,
    })
    .catch(() => {});
}

/** The options every oauth4webapi request gets: the guarded fetch, a time limit, http for local servers. */
function requestOptions(deps: CoreDeps, url: string, signal: AbortSignal) {
  const http = deps.http;
  if (!http) throw new TokenRefreshError("token refresh failed: outbound HTTP is not configured");
  return {
    [oauth.customFetch]: http.fetch as never,
    [oauth.allowInsecureRequests]: new URL(url).protocol === "http:",
    signal: AbortSignal.any([signal, AbortSignal.timeout(TOKEN_TIMEOUT_MS)]),
  };
}

/** The authorization server and client of OAuth2 credentials, for oauth4webapi. */
export function oauthParties(credentials: OAuthCredentials) {
  const as: oauth.AuthorizationServer = {
    issuer: new URL(credentials.tokenUrl).origin,
    token_endpoint: credentials.tokenUrl,
    ...(credentials.type === "oauth2-authorization-code"
      ? { authorization_endpoint: credentials.authorizeUrl }
      : {}),
  };
  const client: oauth.Client = { client_id: credentials.clientId };
  const auth =
    credentials.type === "oauth2-client-credentials" && credentials.clientAuth === "body"
      ? oauth.ClientSecretPost(credentials.clientSecret)
      : oauth.ClientSecretBasic(credentials.clientSecret);
  return { as, client, auth };
}

/** Why a token request failed, in words without secrets. */
function tokenFailure(error: unknown): TokenRefreshError {
  if (error instanceof TokenRefreshError) return error;
  if (error instanceof oauth.ResponseBodyError) {
    const reason = error.error_description ? `${error.error}: ${error.error_description}` : error.error;
    return new TokenRefreshError(`token refresh failed: ${reason}`, error.error === "invalid_grant");
  }
  const message = error instanceof Error ? error.message : String(error);
  const timedOut = (error as Error)?.name === "TimeoutError" || /aborted|timeout/i.test(message);
  return new TokenRefreshError(
    `token refresh failed: ${timedOut ? "the token endpoint did not answer in time" : message}`,
  );
}

/** Fetches a client-credentials token from the token endpoint (client auth: Basic unless "body"). */
async function clientCredentialsToken(deps: CoreDeps, credentials: ClientCredentials, signal: AbortSignal) {
  const { as, client, auth } = oauthParties(credentials);
  const parameters = new URLSearchParams();
  if (credentials.scopes?.length) parameters.set("scope", credentials.scopes.join(" "));
  if (credentials.audience) parameters.set("audience", credentials.audience);
  tokenRequestCounter.count += 1;
  const response = await oauth.clientCredentialsGrantRequest(
    as,
    client,
    auth,
    parameters,
    requestOptions(deps, credentials.tokenUrl, signal),
  );
  return oauth.processClientCredentialsResponse(as, client, response);
}

/** Trades a refresh token for new tokens (the server may rotate the refresh token). */
async function refreshedTokens(
  deps: CoreDeps,
  credentials: AuthorizationCode,
  refreshToken: string,
  signal: AbortSignal,
) {
  const { as, client, auth } = oauthParties(credentials);
  tokenRequestCounter.count += 1;
  const response = await oauth.refreshTokenGrantRequest(
    as,
    client,
    auth,
    refreshToken,
    requestOptions(deps, credentials.tokenUrl, signal),
  );
  return oauth.processRefreshTokenResponse(as, client, response);
}

/** The integration a token belongs to (as the http port loaded it). */
export interface TokenOwner {
  tenantId: string;
  integrationId: string;
  ciphertext: string;
}

/**
 * A valid access token for OAuth2 credentials. Looked up in this process, then in the shared cache
 * (Redis in cluster mode, encrypted with the vault), and only then fetched, under a lock so that
 * processes racing for a stale token ask the token endpoint once: the lock holder fetches, the
 * others find its token in the shared cache. `rejected` is a token the API just refused (401): a
 * cached copy of it is not used again. A token endpoint that fails or does not answer within 5 s
 * throws {@link TokenRefreshError} ("token refresh failed: ...") and marks the integration so; a
 * revoked refresh token marks it "reconnect needed".
 */
export async function accessTokenFor(
  deps: CoreDeps,
  owner: TokenOwner,
  credentials: OAuthCredentials,
  options: { signal: AbortSignal; rejected?: string },
): Promise<string> {
  const now = () => deps.clock?.now() ?? Date.now();
  const key = tokenKey(owner.tenantId, owner.integrationId, owner.ciphertext);
  const local = memoryOf(deps);
  const mine = local.get(key);
  if (usable(mine, now(), options.rejected)) return mine.accessToken;
  const vault = deps.vault;
  if (!vault)
    throw new TokenRefreshError("token refresh failed: the secret key (PARLEY_SECRET_KEY) is not set");
  const binding = secretBinding({
    tenantId: owner.tenantId,
    table: "Integration",
    rowId: owner.integrationId,
    field: "access-token",
  });
  const shared = async () => {
    const sealed = await deps.infra.cache.get<string>(key).catch(() => undefined);
    if (!sealed) return undefined;
    try {
      return JSON.parse(vault.decrypt(sealed, binding)) as CachedToken;
    } catch {
      return undefined;
    }
  };
  const found = await shared();
  if (usable(found, now(), options.rejected)) {
    local.set(key, found);
    return found.accessToken;
  }
  try {
    const token = await deps.infra.locks.withLock(
      key,
      async () => {
        // Another process may have refreshed while this one waited for the lock.
        const again = await shared();
        if (usable(again, now(), options.rejected)) return again;
        const fresh = await fetchToken(deps, owner, credentials, options, now());
        const ttlMs = Math.max(1, Math.floor(fresh.expiresAt - now()));
        await deps.infra.cache.set(key, vault.encrypt(JSON.stringify(fresh), binding), { ttlMs });
        return fresh;
      },
      { ttlMs: 15_000, waitMs: TOKEN_TIMEOUT_MS + 1_000 },
    );
    local.set(key, token);
    await setLiveStatus(deps, owner.tenantId, owner.integrationId, "connected");
    return token.accessToken;
  } catch (error) {
    const failure = tokenFailure(error);
    await setLiveStatus(
      deps,
      owner.tenantId,
      owner.integrationId,
      failure.reconnect ? "reconnect-needed" : "token-refresh-failed",
      failure.message,
    );
    if (failure.reconnect) await markReconnectNeeded(deps, owner, failure.message);
    throw failure;
  }
}

async function fetchToken(
  deps: CoreDeps,
  owner: TokenOwner,
  credentials: OAuthCredentials,
  { signal, rejected }: { signal: AbortSignal; rejected?: string },
  now: number,
): Promise<CachedToken> {
  if (credentials.type === "oauth2-client-credentials") {
    const result = await clientCredentialsToken(deps, credentials, signal);
    return cachedToken(result.access_token, result.expires_in, now);
  }
  // Authorization code: the tokens in the vault (read again: another process may have rotated them).
  const stored = await currentStored(deps, owner);
  const tokens = stored?.tokens;
  if (!stored || !tokens) {
    throw new TokenRefreshError("reconnect needed: nobody has connected this integration yet", false);
  }
  if (stored.connection?.status === "reconnect-needed") {
    throw new TokenRefreshError(
      `reconnect needed: ${stored.connection.detail ?? "the refresh token was revoked"}`,
    );
  }
  // A token the API refused is not used again, whatever its expiry says.
  if (tokens.expiresAt && tokens.accessToken !== rejected) {
    const cached = cachedToken(tokens.accessToken, (tokens.expiresAt - now) / 1000, now);
    if (cached.refreshAt > now) return cached;
  }
  if (!tokens.refreshToken)
    throw new TokenRefreshError("reconnect needed: the server gave no refresh token", true);
  const result = await refreshedTokens(deps, credentials, tokens.refreshToken, signal);
  const next: StoredOAuthTokens = {
    accessToken: result.access_token,
    refreshToken: result.refresh_token ?? tokens.refreshToken,
    ...(result.expires_in ? { expiresAt: now + result.expires_in * 1000 } : {}),
  };
  await saveTokens(deps, owner, next, { status: "connected" });
  return cachedToken(result.access_token, result.expires_in, now);
}

async function currentStored(deps: CoreDeps, owner: TokenOwner) {
  const row = await deps.db
    .forTenant(owner.tenantId)
    .integration.findFirst({ where: { id: owner.integrationId } });
  if (!row?.credentialsCiphertext || !deps.vault) return null;
  return readStoredCredentials(deps.vault, owner.tenantId, owner.integrationId, row.credentialsCiphertext);
}

/** Stores new tokens (and the connection status) of an authorization-code integration. */
export async function saveTokens(
  deps: CoreDeps,
  owner: Pick<TokenOwner, "tenantId" | "integrationId">,
  tokens: StoredOAuthTokens | undefined,
  connection: { status: IntegrationAuthStatus; detail?: string },
): Promise<void> {
  const vault = deps.vault;
  if (!vault) return;
  const db = deps.db.forTenant(owner.tenantId);
  const row = await db.integration.findFirst({ where: { id: owner.integrationId } });
  if (!row?.credentialsCiphertext) return;
  const stored = readStoredCredentials(vault, owner.tenantId, owner.integrationId, row.credentialsCiphertext);
  const next = {
    credentials: stored.credentials,
    ...(tokens ? { tokens } : stored.tokens ? { tokens: stored.tokens } : {}),
    connection,
  };
  await db.integration.update({
    where: { id: owner.integrationId },
    data: encryptStoredCredentials(vault, owner.tenantId, owner.integrationId, next),
  });
  await setLiveStatus(deps, owner.tenantId, owner.integrationId, connection.status, connection.detail);
  await configChanged(deps);
}

async function markReconnectNeeded(deps: CoreDeps, owner: TokenOwner, detail: string) {
  await saveTokens(deps, owner, undefined, { status: "reconnect-needed", detail }).catch(() => {});
}
