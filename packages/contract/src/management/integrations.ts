import { z } from "zod";
import { forbiddenHeaderReason } from "../http-headers";

/** An HTTP header name (RFC 9110 token). */
const headerNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "must be an HTTP header name");
/** A header value: no line breaks (they would start another header). */
const headerValueSchema = z
  .string()
  .max(4096)
  .regex(/^[^\r\n\0]*$/, "must not contain line breaks");

/** Headers that carry secrets: they belong in `credentials`, which is encrypted. */
const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie"]);

/** A secret value (a token, key or password): one line, at most 4 KiB. */
const secretSchema = headerValueSchema.min(1);
/** An https:// (or, for local servers, http://) endpoint of an OAuth2 server. */
const endpointSchema = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });
/** OAuth2 scopes: space-free tokens. */
const scopesSchema = z
  .array(
    z
      .string()
      .min(1)
      .max(200)
      .regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, "must be a scope token (no spaces or quotes)"),
  )
  .max(50);

/** HMAC digest algorithms for request signing. */
export const hmacAlgorithms = ["sha256", "sha512", "sha1"] as const;

/**
 * How an integration authenticates; stored encrypted (vault), never returned, logged or exported.
 * - `bearer`: `Authorization: Bearer <token>`; `basic`: `Authorization: Basic ...`;
 * - `header`: a header of your choice (`X-API-Key: <value>`);
 * - `api-key`: a key sent as the header or query parameter `name`;
 * - `hmac`: the header `header` carries `<algorithm>=<hex HMAC of the raw request body>` (the
 *   empty string when there is no body), keyed with `secret` (default algorithm `sha256`);
 * - `oauth2-client-credentials`: a token from `tokenUrl` (client authentication by HTTP Basic
 *   unless `clientAuth: "body"`), cached until it expires and sent as a bearer token;
 * - `oauth2-authorization-code`: a user connects the integration in the studio (PKCE S256); the
 *   access and refresh tokens are kept in the vault and refreshed automatically.
 */
export const integrationCredentialsSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("bearer"), token: secretSchema }).strict(),
  z
    .object({
      type: z.literal("basic"),
      username: headerValueSchema
        .min(1)
        .max(256)
        .refine((name) => !name.includes(":"), "must not contain ':'"),
      password: headerValueSchema.max(1024),
    })
    .strict(),
  z
    .object({
      type: z.literal("header"),
      name: headerNameSchema.refine((name) => !forbiddenHeaderReason(name, { integration: false }), {
        message: "must not be Host or a connection header (Connection, Upgrade, TE, ...)",
      }),
      value: secretSchema,
    })
    .strict(),
  z
    .object({
      type: z.literal("api-key"),
      /** The header or query parameter name. */
      name: headerNameSchema,
      value: secretSchema,
      in: z.enum(["header", "query"]).default("header"),
    })
    .strict()
    .refine((key) => key.in === "query" || !forbiddenHeaderReason(key.name, { integration: false }), {
      path: ["name"],
      message: "must not be Host or a connection header (Connection, Upgrade, TE, ...)",
    }),
  z
    .object({
      type: z.literal("hmac"),
      secret: secretSchema,
      /** The header that carries the signature. */
      header: headerNameSchema.refine((name) => !forbiddenHeaderReason(name, { integration: false }), {
        message: "must not be Host or a connection header (Connection, Upgrade, TE, ...)",
      }),
      algorithm: z.enum(hmacAlgorithms).default("sha256"),
    })
    .strict(),
  z
    .object({
      type: z.literal("oauth2-client-credentials"),
      tokenUrl: endpointSchema,
      clientId: headerValueSchema.min(1).max(512),
      clientSecret: secretSchema,
      scopes: scopesSchema.optional(),
      audience: z.string().min(1).max(512).optional(),
      /** How the client authenticates at the token endpoint: HTTP Basic (default) or form fields. */
      clientAuth: z.enum(["basic", "body"]).default("basic"),
    })
    .strict(),
  z
    .object({
      type: z.literal("oauth2-authorization-code"),
      authorizeUrl: endpointSchema,
      tokenUrl: endpointSchema,
      clientId: headerValueSchema.min(1).max(512),
      clientSecret: secretSchema,
      scopes: scopesSchema.optional(),
    })
    .strict(),
]);
/** How an integration authenticates. */
export type IntegrationCredentials = z.infer<typeof integrationCredentialsSchema>;
/** The credential types. */
export const integrationCredentialTypes = [
  "bearer",
  "basic",
  "header",
  "api-key",
  "hmac",
  "oauth2-client-credentials",
  "oauth2-authorization-code",
] as const;
/** A credential type. */
export type IntegrationCredentialType = (typeof integrationCredentialTypes)[number];

/** A canned response the studio's test chat gets instead of calling the real API. */
export const integrationMockSchema = z
  .object({
    enabled: z.boolean().default(false),
    status: z.number().int().min(100).max(599).default(200),
    /** The response body: JSON (any value) or text. */
    body: z.unknown().default({}),
  })
  .strict();

/**
 * Resilience and testing settings of an integration: the per-attempt time limit, retries (for
 * idempotent methods, and for 429/503 on any method, honouring `Retry-After`) with exponential
 * backoff and jitter, and the mock response of the test chat.
 */
export const integrationSettingsSchema = z
  .object({
    timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
    retries: z.number().int().min(0).max(5).default(2),
    backoff: z
      .object({
        initialMs: z.number().int().min(1).max(10_000).default(200),
        maxMs: z.number().int().min(1).max(60_000).default(5_000),
      })
      .strict()
      .default({ initialMs: 200, maxMs: 5_000 }),
    /** The circuit breaker: opens after this many consecutive failures, half-opens after the pause. */
    breaker: z
      .object({
        failureThreshold: z.number().int().min(1).max(100).default(5),
        halfOpenAfterMs: z.number().int().min(100).max(600_000).default(30_000),
      })
      .strict()
      .default({ failureThreshold: 5, halfOpenAfterMs: 30_000 }),
    mock: integrationMockSchema.optional(),
  })
  .strict();
/** Resilience and testing settings of an integration. */
export type IntegrationSettings = z.infer<typeof integrationSettingsSchema>;

/** The non-secret settings of an HTTP integration. */
export const integrationConfigSchema = z
  .object({
    /** Requests of http nodes using the integration go to paths under this URL, and nowhere else. */
    baseUrl: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }),
    /** Headers sent with every request (not secrets: use `credentials`). */
    headers: z
      .record(headerNameSchema, headerValueSchema)
      .default({})
      .refine((headers) => Object.keys(headers).every((name) => !SECRET_HEADERS.has(name.toLowerCase())), {
        message: "put Authorization and Cookie values in credentials (they are encrypted)",
      })
      .refine(
        (headers) =>
          Object.keys(headers).every((name) => !forbiddenHeaderReason(name, { integration: false })),
        { message: "Host and connection headers (Connection, Upgrade, TE, ...) are set by the platform" },
      ),
    /** Time limit, retries, backoff and the test chat's mock response. */
    settings: integrationSettingsSchema.optional(),
    /** The catalogue connector the integration was created from (its operations are callable by id). */
    connector: z.string().min(1).max(64).optional(),
    /** The connector's settings (e.g. `{ subdomain: "acme" }`), filled into its base URL. */
    connectorSettings: z.record(z.string().min(1).max(64), z.string().max(500)).optional(),
  })
  .strict();

const nameSchema = z.string().trim().min(1).max(100);

/**
 * Credentials as a create-from-connector request may give them: the connector fills its fixed
 * fields (Shopify's header name, Freshdesk's `X` password, Salesforce's OAuth2 endpoints), so
 * every field but `type` may be left out; the full shape is checked once they are filled in.
 */
export const connectorCredentialsSchema = z
  .object({ type: z.enum(integrationCredentialTypes) })
  .catchall(z.union([z.string().max(4096), z.array(z.string().max(200)).max(50)]));

/** The checks both create schemas share (internal). */
function checkCreate(
  input: { connector?: string; config?: unknown; settings?: unknown; baseUrl?: unknown },
  ctx: z.RefinementCtx,
) {
  if (input.connector === undefined && input.config === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["config"],
      message: "give `config` (base URL) or a `connector` id",
    });
  }
  if (input.connector !== undefined && input.config !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["config"],
      message: "a connector integration takes `settings`, not `config`",
    });
  }
  if (input.connector === undefined && (input.settings !== undefined || input.baseUrl !== undefined)) {
    ctx.addIssue({
      code: "custom",
      path: [input.settings !== undefined ? "settings" : "baseUrl"],
      message: "only an integration created from a `connector` takes this",
    });
  }
}

const createShape = {
  name: nameSchema,
  config: integrationConfigSchema.optional(),
  connector: z.string().min(1).max(64).optional(),
  settings: z.record(z.string().min(1).max(64), z.string().max(500)).optional(),
  baseUrl: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
};

/**
 * A complete integration: input of core's `createIntegration` once a connector's fixed credential
 * fields are filled in. Either `config` (a plain HTTP integration) or `connector` (a catalogue
 * connector id, with its `settings`; `baseUrl` overrides the connector's, e.g. a vendor sandbox).
 */
export const createIntegrationInputSchema = z
  .object({ ...createShape, credentials: integrationCredentialsSchema.optional() })
  .strict()
  .superRefine(checkCreate);

/**
 * `POST /api/v1/integrations` body (and the studio's create forms): as
 * {@link createIntegrationInputSchema}, but with a `connector` the credentials may leave out the
 * fields the connector fixes (`{ type: "header", value }` for Shopify). Without a connector the
 * credentials are checked in full here.
 */
export const createIntegrationRequestSchema = z
  .object({
    ...createShape,
    credentials: z.union([integrationCredentialsSchema, connectorCredentialsSchema]).optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    checkCreate(input, ctx);
    if (input.connector !== undefined || input.credentials === undefined) return;
    const strict = integrationCredentialsSchema.safeParse(input.credentials);
    for (const issue of strict.success ? [] : strict.error.issues) {
      ctx.addIssue({ code: "custom", path: ["credentials", ...issue.path], message: issue.message });
    }
  });
/** A create request as sent (connector credentials possibly partial). */
export type CreateIntegrationRequest = z.input<typeof createIntegrationRequestSchema>;

/** `PATCH /api/v1/integrations/{integrationId}` body; `credentials: null` removes them. */
export const updateIntegrationInputSchema = z
  .object({
    name: nameSchema.optional(),
    config: integrationConfigSchema.optional(),
    credentials: integrationCredentialsSchema.nullable().optional(),
  })
  .strict();

/**
 * The circuit breaker of an integration: each runtime process counts the failures it sees, and an
 * opened breaker is shared through the shared cache, so every process shows and honours it.
 */
export const breakerStateSchema = z.enum(["closed", "open", "half-open"]);
/** The circuit breaker of an integration. */
export type BreakerState = z.infer<typeof breakerStateSchema>;

/**
 * Whether an OAuth2 integration can get tokens: `connected`; `not-connected` (authorization code:
 * nobody connected it yet); `reconnect-needed` (the refresh token was revoked or expired);
 * `token-refresh-failed` (the token endpoint failed; the next call tries again).
 */
export const integrationAuthStatusSchema = z.enum([
  "connected",
  "not-connected",
  "reconnect-needed",
  "token-refresh-failed",
]);
/** Whether an OAuth2 integration can get tokens. */
export type IntegrationAuthStatus = z.infer<typeof integrationAuthStatusSchema>;

/**
 * The credentials as the API shows them: their type, the non-secret fields as they are, and each
 * secret as a hint ("set …abcd"); for OAuth2, the connection status.
 */
export const integrationCredentialsViewSchema = z.object({
  type: z.enum(integrationCredentialTypes),
  /** Non-secret fields (names, URLs, client id, scopes) and secret hints ("set …abcd"). */
  fields: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  /** OAuth2 only: whether tokens can be had, and why not. */
  status: integrationAuthStatusSchema.optional(),
  /** OAuth2 only: the last token error (never a secret). */
  statusDetail: z.string().optional(),
});

/** An integration as the API shows it: the credentials' type and hints, never their values. */
export const integrationViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  config: integrationConfigSchema,
  credentials: integrationCredentialsViewSchema.nullable(),
  /** The circuit breaker of this integration in the answering process. */
  breaker: breakerStateSchema.optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** An integration as the API shows it. */
export type IntegrationView = z.infer<typeof integrationViewSchema>;
