import { type IntegrationCredentials, integrationCredentialsSchema } from "@parley/contract";
import type { HttpPort, HttpRequest, HttpResponse } from "@parley/engine";
import type { CoreDeps } from "../context";
import { configCache } from "../internal/config-cache";
import { isUuid } from "../internal/ids";
import { credentialsBinding } from "./integrations";

/** An integration as a turn needs it (credentials still encrypted). */
interface StoredIntegration {
  id: string;
  baseUrl: string;
  headers: Record<string, string>;
  credentialsCiphertext: string | null;
}

/** Why an integration request was not sent; the message never contains a secret. */
export class IntegrationRequestError extends Error {
  override readonly name = "IntegrationRequestError";
}

const REDACTED = "[redacted]";

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
      const config = row.config as { baseUrl: string; headers?: Record<string, string> };
      return {
        id: row.id,
        baseUrl: config.baseUrl,
        headers: config.headers ?? {},
        credentialsCiphertext: row.credentialsCiphertext,
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

/** The headers the credentials add, and the secret strings to keep out of anything the flow sees. */
function credentialHeaders(credentials: IntegrationCredentials): {
  headers: Record<string, string>;
  secrets: string[];
} {
  switch (credentials.type) {
    case "bearer":
      return { headers: { authorization: `Bearer ${credentials.token}` }, secrets: [credentials.token] };
    case "basic": {
      const encoded = Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64");
      return {
        headers: { authorization: `Basic ${encoded}` },
        secrets: [encoded, credentials.password].filter((secret) => secret.length >= 4),
      };
    }
    case "header":
      return {
        headers: { [credentials.name.toLowerCase()]: credentials.value },
        secrets: [credentials.value],
      };
  }
}

/** Replaces every secret in `text` (a service echoing the request back must not leak it into the flow). */
function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets)
    if (secret && result.includes(secret)) result = result.split(secret).join(REDACTED);
  return result;
}

/**
 * Wraps a turn's http port: a request naming an integration (`integrationId`) is resolved against
 * the tenant's integration: its URL confined to the base URL, the integration's headers added and
 * its credentials decrypted and injected (overriding any header of the same name the flow set), and
 * sent through the guarded client with cross-origin redirects not followed. The credentials never
 * reach the flow: they are not in the request the engine built (so not in traces, messages or the
 * flow JSON), errors do not contain them, and any echo of them in the response is redacted.
 * Requests without an integration go to `inner` unchanged.
 */
export function integrationHttpPort(deps: CoreDeps, tenantId: string, inner: HttpPort | undefined): HttpPort {
  return {
    async request(request, options) {
      if (!request.integrationId) {
        if (!inner) throw new IntegrationRequestError("no http port is configured");
        return inner.request(request, options);
      }
      return integrationRequest(deps, tenantId, request, options.signal);
    },
  };
}

async function integrationRequest(
  deps: CoreDeps,
  tenantId: string,
  request: HttpRequest,
  signal: AbortSignal,
): Promise<HttpResponse> {
  const ref = request.integrationId as string;
  const integration = await integrationOf(deps, tenantId, ref);
  if (!integration) throw new IntegrationRequestError(`there is no integration "${ref}"`);
  if (!deps.http) throw new IntegrationRequestError("outbound HTTP is not configured");
  let added: { headers: Record<string, string>; secrets: string[] } = { headers: {}, secrets: [] };
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
      { signal, redirects: "same-origin" },
    );
  } catch (error) {
    throw new IntegrationRequestError(redact((error as Error).message ?? String(error), added.secrets));
  }
  return {
    status: response.status,
    headers: Object.fromEntries(
      Object.entries(response.headers).map(([name, value]) => [name, redact(value, added.secrets)]),
    ),
    body: redact(response.body, added.secrets),
  };
}
