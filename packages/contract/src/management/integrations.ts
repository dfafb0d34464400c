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

/**
 * How an integration authenticates; stored encrypted (vault), never returned, logged or exported.
 * `bearer`: `Authorization: Bearer <token>`; `basic`: `Authorization: Basic ...`; `header`: a
 * header of your choice (`X-API-Key: <value>`).
 */
export const integrationCredentialsSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("bearer"), token: headerValueSchema.min(1) }).strict(),
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
      value: headerValueSchema.min(1),
    })
    .strict(),
]);
/** How an integration authenticates. */
export type IntegrationCredentials = z.infer<typeof integrationCredentialsSchema>;

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
    /** The catalogue connector the integration was created from (its operations are callable by id). */
    connector: z.string().min(1).max(64).optional(),
    /** The connector's settings (e.g. `{ subdomain: "acme" }`), filled into its base URL. */
    settings: z.record(z.string().min(1).max(64), z.string().max(500)).optional(),
  })
  .strict();

const nameSchema = z.string().trim().min(1).max(100);

/**
 * `POST /api/v1/integrations` body; input of core's `createIntegration`. Either `config` (a plain
 * HTTP integration) or `connector` (a catalogue connector id, with its `settings`; `baseUrl`
 * overrides the connector's, e.g. for a vendor sandbox).
 */
export const createIntegrationInputSchema = z
  .object({
    name: nameSchema,
    config: integrationConfigSchema.optional(),
    credentials: integrationCredentialsSchema.optional(),
    connector: z.string().min(1).max(64).optional(),
    settings: z.record(z.string().min(1).max(64), z.string().max(500)).optional(),
    baseUrl: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
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
  });

/** `PATCH /api/v1/integrations/{integrationId}` body; `credentials: null` removes them. */
export const updateIntegrationInputSchema = z
  .object({
    name: nameSchema.optional(),
    config: integrationConfigSchema.optional(),
    credentials: integrationCredentialsSchema.nullable().optional(),
  })
  .strict();

/** An integration as the API shows it: the credentials' type, never their values. */
export const integrationViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  config: integrationConfigSchema,
  credentials: z.object({ type: z.enum(["bearer", "basic", "header"]) }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** An integration as the API shows it. */
export type IntegrationView = z.infer<typeof integrationViewSchema>;
