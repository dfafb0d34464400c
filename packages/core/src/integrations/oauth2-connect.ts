import { createHash } from "node:crypto";
import { type IntegrationView, oauthAuthorizeInputSchema, oauthCallbackInputSchema } from "@parley/contract";
import { secretBinding } from "@parley/infra";
import * as oauth from "oauth4webapi";
import type { z } from "zod";
import { recordAudit } from "../audit";
import { type Actor, authorize, nowOf, type ServiceContext } from "../context";
import { parseInput, ServiceError } from "../errors";
import { getIntegration, loadIntegration } from "./integrations";
import { oauthParties, saveTokens, tokenRequestCounter } from "./oauth2-tokens";
import { readStoredCredentials } from "./stored-credentials";

/** How long a user has to finish the authorization. */
const STATE_TTL_MS = 10 * 60_000;

/** What the studio needs to remember between "Connect" and the callback (kept in the shared cache). */
interface PendingAuthorization {
  tenantId: string;
  integrationId: string;
  /** Who started it, and the browser session's binding: only they may finish it. */
  owner: string;
  /** The PKCE code verifier, encrypted with the vault. */
  sealedVerifier: string;
  redirectUri: string;
}

const stateKey = (state: string) => `oauth-state:${createHash("sha256").update(state).digest("hex")}`;
const verifierBinding = (tenantId: string, integrationId: string) =>
  secretBinding({ tenantId, table: "Integration", rowId: integrationId, field: "pkce-verifier" });

function ownerOf(actor: Actor, binding: string | undefined): string {
  const who =
    actor.type === "user"
      ? `user:${actor.userId}`
      : actor.type === "api_key"
        ? `key:${actor.keyId}`
        : actor.type;
  return `${who}|${binding ?? ""}`;
}

function vaultOf(ctx: ServiceContext) {
  if (!ctx.deps.vault) {
    throw new ServiceError(
      "unavailable",
      "vault-unavailable",
      "OAuth2 needs the secret key (PARLEY_SECRET_KEY)",
    );
  }
  return ctx.deps.vault;
}

async function authorizationCodeCredentials(ctx: ServiceContext, integrationId: string) {
  const row = await loadIntegration(ctx, integrationId);
  const stored = row.credentialsCiphertext
    ? readStoredCredentials(vaultOf(ctx), ctx.tenantId, row.id, row.credentialsCiphertext)
    : null;
  if (stored?.credentials.type !== "oauth2-authorization-code") {
    throw new ServiceError(
      "invalid",
      "not-oauth2-authorization-code",
      `integration "${row.name}" does not use oauth2-authorization-code credentials`,
      { errors: [{ path: "credentials.type", message: "must be oauth2-authorization-code to connect" }] },
    );
  }
  return { row, credentials: stored.credentials };
}

/**
 * Starts connecting an OAuth2 authorization-code integration: a fresh `state` (bound to the
 * caller and, in the studio, to the browser session through `binding`) and a PKCE S256 verifier,
 * remembered for 10 minutes; returns the authorization URL to send the user to. The redirect URI
 * defaults to the studio's `/integrations/oauth/callback`. Needs `integrations:manage`.
 */
export async function startOAuthConnect(
  ctx: ServiceContext,
  integrationId: string,
  input: z.input<typeof oauthAuthorizeInputSchema> = {},
  options: { binding?: string } = {},
): Promise<{ authorizeUrl: string; state: string }> {
  authorize(ctx, "integrations:manage");
  const data = parseInput(oauthAuthorizeInputSchema, input, "authorization");
  const { row, credentials } = await authorizationCodeCredentials(ctx, integrationId);
  const redirectUri =
    data.redirectUri ??
    (ctx.deps.studioUrl ? new URL("/integrations/oauth/callback", ctx.deps.studioUrl).toString() : undefined);
  if (!redirectUri) {
    throw new ServiceError(
      "invalid",
      "redirect-uri-required",
      "give redirectUri (the studio URL is not configured)",
      {
        errors: [{ path: "redirectUri", message: "required when the studio URL is not configured" }],
      },
    );
  }
  const verifier = oauth.generateRandomCodeVerifier();
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  const state = oauth.generateRandomState();
  const pending: PendingAuthorization = {
    tenantId: ctx.tenantId,
    integrationId: row.id,
    owner: ownerOf(ctx.actor, options.binding),
    sealedVerifier: vaultOf(ctx).encrypt(verifier, verifierBinding(ctx.tenantId, row.id)),
    redirectUri,
  };
  await ctx.deps.infra.cache.set(stateKey(state), pending, { ttlMs: STATE_TTL_MS });
  const url = new URL(credentials.authorizeUrl);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", credentials.clientId);
  url.searchParams.set("redirect_uri", redirectUri);
  if (credentials.scopes?.length) url.searchParams.set("scope", credentials.scopes.join(" "));
  url.searchParams.set("state", state);
  url.searchParams.set("code_challenge", challenge);
  url.searchParams.set("code_challenge_method", "S256");
  return { authorizeUrl: url.toString(), state };
}

/**
 * Finishes connecting: checks the `state` (unknown, expired, used or started by someone else is
 * refused), trades the code (with the PKCE verifier) for tokens at the token endpoint and keeps
 * them in the vault; the integration is then `connected`. Needs `integrations:manage`.
 */
export async function completeOAuthConnect(
  ctx: ServiceContext,
  input: z.input<typeof oauthCallbackInputSchema>,
  options: { binding?: string } = {},
): Promise<IntegrationView> {
  authorize(ctx, "integrations:manage");
  const data = parseInput(oauthCallbackInputSchema, input, "authorization callback");
  const key = stateKey(data.state);
  const pending = await ctx.deps.infra.cache.get<PendingAuthorization>(key);
  if (
    !pending ||
    pending.tenantId !== ctx.tenantId ||
    pending.owner !== ownerOf(ctx.actor, options.binding)
  ) {
    throw new ServiceError(
      "invalid",
      "oauth-state-invalid",
      "this authorization is unknown, expired, already used or was started in another session: connect again",
      { errors: [{ path: "state", message: "does not match an authorization started in this session" }] },
    );
  }
  await ctx.deps.infra.cache.delete(key);
  if (data.error) {
    throw new ServiceError(
      "invalid",
      "oauth-denied",
      `the authorization server refused: ${data.error}${data.error_description ? ` (${data.error_description})` : ""}`,
    );
  }
  const { row, credentials } = await authorizationCodeCredentials(ctx, pending.integrationId);
  const vault = vaultOf(ctx);
  const verifier = vault.decrypt(pending.sealedVerifier, verifierBinding(ctx.tenantId, row.id));
  const { as, client, auth } = oauthParties(credentials);
  const http = ctx.deps.http;
  if (!http) throw new ServiceError("unavailable", "http-unavailable", "outbound HTTP is not configured");
  let tokens: oauth.TokenEndpointResponse;
  try {
    const parameters = new URLSearchParams({ code: data.code ?? "", state: data.state });
    if (data.iss) parameters.set("iss", data.iss);
    const callback = oauth.validateAuthResponse(as, client, parameters, data.state);
    tokenRequestCounter.count += 1;
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      auth,
      callback,
      pending.redirectUri,
      verifier,
      {
        [oauth.customFetch]: http.fetch as never,
        [oauth.allowInsecureRequests]: new URL(credentials.tokenUrl).protocol === "http:",
        signal: AbortSignal.timeout(10_000),
      },
    );
    tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
  } catch (error) {
    const reason =
      error instanceof oauth.ResponseBodyError
        ? `${error.error}${error.error_description ? `: ${error.error_description}` : ""}`
        : (error as Error).message;
    throw new ServiceError(
      "invalid",
      "oauth-exchange-failed",
      `the token endpoint refused the code: ${reason}`,
    );
  }
  const now = nowOf(ctx.deps).getTime();
  await saveTokens(
    ctx.deps,
    { tenantId: ctx.tenantId, integrationId: row.id },
    {
      accessToken: tokens.access_token,
      ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
      ...(tokens.expires_in ? { expiresAt: now + tokens.expires_in * 1000 } : {}),
    },
    { status: "connected" },
  );
  await recordAudit(ctx.deps.db.forTenant(ctx.tenantId), ctx, {
    action: "integration.connect",
    targetType: "integration",
    targetId: row.id,
  });
  return getIntegration(ctx, row.id);
}
