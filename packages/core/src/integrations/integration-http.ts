import { type IntegrationCredentials, integrationCredentialsSchema } from "@parley/contract";
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
import { credentialsBinding } from "./integrations";
import { secretRedactor } from "./secret-redaction";

/** An integration as a turn needs it (credentials still encrypted). */
interface StoredIntegration {
  id: string;
  baseUrl: string;
  headers: Record<string, string>;
  credentialsCiphertext: string | null;
  /** The catalogue connector it was created from (http nodes may call its operations). */
  connector?: string;
}

/** Why an integration request was not sent; the message never contains a secret. */
export class IntegrationRequestError extends Error {
  override readonly name = "IntegrationRequestError";
}

/** The integration an http node names (`integrationId`: id or name), through the process cache. */
async function integrationOf(
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
      const config = row.config as { baseUrl: string; headers?: Record<string, string>; connector?: string };
      return {
        id: row.id,
        baseUrl: config.baseUrl,
        headers: config.headers ?? {},
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
  /** The header a `header` credential uses (a flow may not set it). */
  credentialHeader?: string;
}

function credentialHeaders(credentials: IntegrationCredentials): AddedCredentials {
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

/**
 * Wraps a turn's http port: a request naming an integration (`integrationId`) is resolved against
 * the tenant's integration: its URL confined to the base URL, the integration's headers added and
 * its credentials decrypted and injected, and sent through the guarded client with cross-origin
 * redirects not followed. A flow header that would set `Host`, a hop-by-hop header or a credential
 * header is refused (the node takes its error branch). The credentials never reach the flow: they
 * are not in the request the engine built (so not in traces, messages or the flow JSON), and every
 * echo of them in the response body, headers or an error, raw or encoded (base64, base64url,
 * URL-encoding, hex), is redacted before the engine sees it.
 * Requests without an integration go to `inner` unchanged (after the same `Host` and hop-by-hop
 * header rule).
 */
export function integrationHttpPort(deps: CoreDeps, tenantId: string, inner: HttpPort | undefined): HttpPort {
  return {
    async request(request, options) {
      if (!request.integrationId) {
        if (!inner) throw new IntegrationRequestError("no http port is configured");
        refuseForbiddenHeaders(request.headers, { integration: false });
        return inner.request(request, options);
      }
      return integrationRequest(deps, tenantId, request, options.signal);
    },
  };
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

async function integrationRequest(
  deps: CoreDeps,
  tenantId: string,
  nodeRequest: HttpRequest,
  signal: AbortSignal,
): Promise<HttpResponse> {
  const ref = nodeRequest.integrationId as string;
  const integration = await integrationOf(deps, tenantId, ref);
  if (!integration) throw new IntegrationRequestError(`there is no integration "${ref}"`);
  const operation = await resolvedOperation(integration, ref, nodeRequest);
  const request = operation?.request ?? nodeRequest;
  if (!deps.http) throw new IntegrationRequestError("outbound HTTP is not configured");
  let added: AddedCredentials = { headers: {}, secrets: [] };
  if (integration.credentialsCiphertext) {
    if (!deps.vault) throw new IntegrationRequestError("integration credentials need PARLEY_SECRET_KEY");
    let credentials: IntegrationCredentials;
    try {
      const plain = deps.vault.decrypt(
        integration.credentialsCiphertext,
        credentialsBinding(tenantId, integration.id),
      );
      credentials = integrationCredentialsSchema.parse(JSON.parse(plain));
    } catch {
      throw new IntegrationRequestError(
        `the credentials of integration "${ref}" cannot be read (key rotated away?)`,
      );
    }
    added = credentialHeaders(credentials);
  }
  refuseForbiddenHeaders(request.headers, {
    integration: true,
    ...(added.credentialHeader ? { credentialHeader: added.credentialHeader } : {}),
  });
  const redact = secretRedactor(added.secrets);
  const headers: Record<string, string> = {};
  const set = (name: string, value: string) => {
    for (const existing of Object.keys(headers))
      if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    headers[name] = value;
  };
  for (const [name, value] of Object.entries(integration.headers)) set(name, value);
  for (const [name, value] of Object.entries(request.headers)) set(name, value);
  for (const [name, value] of Object.entries(added.headers)) set(name, value);
  const url = confinedUrl(integration.baseUrl, request.url);
  let response: Awaited<ReturnType<NonNullable<CoreDeps["http"]>["request"]>>;
  try {
    response = await deps.http.request(
      { method: request.method, url, headers, ...(request.body === undefined ? {} : { body: request.body }) },
      {
        signal,
        redirects: "same-origin",
        ...(added.credentialHeader ? { credentialHeaders: [added.credentialHeader] } : {}),
      },
    );
  } catch (error) {
    throw new IntegrationRequestError(redact((error as Error).message ?? String(error)));
  }
  const redacted: HttpResponse = {
    status: response.status,
    headers: Object.fromEntries(
      Object.entries(response.headers).map(([name, value]) => [name, redact(value)]),
    ),
    body: redact(response.body),
  };
  return operation ? mapOperationResponse(operation.operation, redacted) : redacted;
}
