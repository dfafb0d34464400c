import { z } from "zod";

/**
 * Credential types by their REST name (`credentials.type` of an integration). A connector's `auth`
 * names the one its vendor expects; the integration created from it must use that type (or one of
 * the connector's `alternatives`).
 */
export const connectorCredentialTypes = [
  "api-key",
  "bearer",
  "basic",
  "header",
  "hmac",
  "oauth2-client-credentials",
  "oauth2-authorization-code",
] as const;
/** A credential type's REST name. */
export const connectorCredentialTypeSchema = z.enum(connectorCredentialTypes);
/** A credential type's REST name. */
export type ConnectorCredentialType = z.infer<typeof connectorCredentialTypeSchema>;

/** A connector, operation, input or setting id: lower-case words joined by dashes or underscores. */
const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/,
    "must be lower-case letters, digits and dashes (e.g. create-contact)",
  );
/** An input or setting name: a JavaScript-like identifier (used in templates and JSONata). */
const fieldNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be letters, digits and underscores, not starting with a digit");
const textSchema = z.string().trim().min(1).max(2000);
const docsUrlSchema = z.url({
  protocol: /^https$/,
  error: "must be an https:// link to the vendor's documentation",
});

/** `{name}` placeholders in a template (base URL or path). */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((match) => match[1] as string);
}

/** How a connector authenticates: the credential type its integrations use, with fixed fields. */
export const connectorAuthSchema = z
  .strictObject({
    /** The credential type the vendor expects. */
    type: connectorCredentialTypeSchema,
    /** Other credential types the vendor also accepts (e.g. a pre-issued OAuth2 access token as `bearer`). */
    alternatives: z.array(connectorCredentialTypeSchema).max(6).default([]),
    /** Credential fields the connector fixes (e.g. the header name of an API key). */
    fixed: z.record(fieldNameSchema, z.string().max(2000)).default({}),
    /** Integrations may have no credentials at all (e.g. a catch hook without signing). */
    optional: z.boolean().default(false),
    /** Where to find the credential in the vendor's console, in a sentence or two. */
    help: textSchema.optional(),
  })
  .meta({ id: "ConnectorAuth" });

/** A setting of the integration (non-secret): used in `baseUrl` placeholders, e.g. a Zendesk subdomain. */
export const connectorSettingSchema = z
  .strictObject({
    name: fieldNameSchema,
    label: textSchema,
    required: z.boolean().default(true),
    /** A regular expression the value must match in full (settings go into the host name). */
    pattern: z
      .string()
      .min(1)
      .max(500)
      .refine((source) => {
        try {
          new RegExp(source);
          return true;
        } catch {
          return false;
        }
      }, "must be a valid regular expression"),
    default: z.string().max(500).optional(),
    help: textSchema.optional(),
  })
  .meta({ id: "ConnectorSetting" });

/** The value types an input can take (input values arrive as text from flow templates). */
export const connectorInputTypes = ["string", "number", "boolean", "email", "json"] as const;

/** An input of an operation: where it goes in the request and how to ask for it. */
export const connectorInputSchema = z
  .strictObject({
    name: fieldNameSchema,
    label: textSchema,
    type: z.enum(connectorInputTypes).default("string"),
    required: z.boolean().default(false),
    /** `path`: fills `{name}` in the path; `query`: a query parameter; `body`: available to the body template. */
    in: z.enum(["path", "query", "body"]),
    help: textSchema.optional(),
    /** Used when the flow gives no value. */
    default: z.string().max(2000).optional(),
  })
  .meta({ id: "ConnectorInput" });
/** An input of a connector operation. */
export type ConnectorInput = z.infer<typeof connectorInputSchema>;

/** The request body of an operation. */
export const connectorBodySchema = z
  .strictObject({
    /** `json` (application/json) or `form` (application/x-www-form-urlencoded, nested keys as `a[b]`). */
    encoding: z.enum(["json", "form"]).default("json"),
    /**
     * A JSONata expression over the `body` inputs (each by name) that builds the body object;
     * missing optional inputs vanish from it. Without it the body is the `body` inputs as given.
     */
    template: z.string().min(1).max(10_000).optional(),
  })
  .meta({ id: "ConnectorBody" });

/** One operation of a connector: a documented API call with typed inputs and a response mapping. */
export const connectorOperationSchema = z
  .strictObject({
    id: idSchema,
    name: textSchema,
    description: textSchema,
    method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]),
    /** Relative to the connector's base URL; `{name}` placeholders are `path` inputs (URL-encoded). */
    path: z.string().min(1).max(500).startsWith("/", "must start with /"),
    inputs: z.array(connectorInputSchema).max(50).default([]),
    body: connectorBodySchema.optional(),
    /** A JSONata expression over the parsed response body: what the flow receives as `body`. */
    response: z.string().min(1).max(10_000).optional(),
    docsUrl: docsUrlSchema,
  })
  .superRefine((operation, ctx) => {
    const names = new Set<string>();
    operation.inputs.forEach((input, index) => {
      if (names.has(input.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["inputs", index, "name"],
          message: `"${input.name}" is used twice`,
        });
      }
      names.add(input.name);
    });
    const pathInputs = new Set(
      operation.inputs.filter((input) => input.in === "path").map((input) => input.name),
    );
    for (const placeholder of placeholdersOf(operation.path)) {
      if (!pathInputs.has(placeholder)) {
        ctx.addIssue({
          code: "custom",
          path: ["path"],
          message: `the placeholder {${placeholder}} has no input with in: "path"`,
        });
      }
    }
    operation.inputs.forEach((input, index) => {
      if (input.in !== "path") return;
      if (!placeholdersOf(operation.path).includes(input.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["inputs", index, "in"],
          message: `the path has no {${input.name}} placeholder`,
        });
      }
      if (!input.required && input.default === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["inputs", index, "required"],
          message: "path inputs must be required",
        });
      }
    });
    if (operation.body && operation.method === "GET") {
      ctx.addIssue({ code: "custom", path: ["body"], message: "a GET operation has no body" });
    }
  })
  .meta({ id: "ConnectorOperation" });
/** One operation of a connector. */
export type ConnectorOperation = z.infer<typeof connectorOperationSchema>;

/**
 * A declarative connector: data, validated at load. Adding a connector is adding one of these.
 * `baseUrl` may hold `{setting}` placeholders filled from the integration's settings.
 */
export const connectorDefinitionSchema = z
  .strictObject({
    id: idSchema,
    name: textSchema,
    description: textSchema,
    docsUrl: docsUrlSchema,
    baseUrl: z
      .string()
      .min(1)
      .max(500)
      .regex(/^https:\/\/[^\s]+$/, "must be an https:// URL (with optional {setting} placeholders)"),
    auth: connectorAuthSchema,
    settings: z.array(connectorSettingSchema).max(20).default([]),
    /** Non-secret headers every request carries (e.g. an API version). */
    headers: z
      .record(z.string().regex(/^[A-Za-z0-9-]+$/, "must be a header name"), z.string().max(500))
      .default({}),
    operations: z.array(connectorOperationSchema).min(1).max(100),
  })
  .superRefine((connector, ctx) => {
    const settings = new Set(connector.settings.map((setting) => setting.name));
    for (const placeholder of placeholdersOf(connector.baseUrl)) {
      if (!settings.has(placeholder)) {
        ctx.addIssue({
          code: "custom",
          path: ["baseUrl"],
          message: `the placeholder {${placeholder}} is not a setting`,
        });
      }
    }
    const ids = new Set<string>();
    connector.operations.forEach((operation, index) => {
      if (ids.has(operation.id)) {
        ctx.addIssue({
          code: "custom",
          path: ["operations", index, "id"],
          message: `"${operation.id}" is used twice`,
        });
      }
      ids.add(operation.id);
    });
  })
  .meta({ id: "ConnectorDefinition" });
/** A connector definition as written (defaults not applied). */
export type ConnectorDefinitionInput = z.input<typeof connectorDefinitionSchema>;
/** A validated connector definition. */
export type ConnectorDefinition = z.infer<typeof connectorDefinitionSchema>;

/** An operation as `GET /api/v1/connectors` lists it. */
export const connectorOperationViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  method: z.string(),
  path: z.string(),
  inputs: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      type: z.enum(connectorInputTypes),
      required: z.boolean(),
      in: z.enum(["path", "query", "body"]),
      help: z.string().optional(),
      default: z.string().optional(),
    }),
  ),
  docsUrl: z.string(),
});

/** A connector as `GET /api/v1/connectors` lists it. */
export const connectorViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  docsUrl: z.string(),
  baseUrl: z.string(),
  auth: z.object({
    type: connectorCredentialTypeSchema,
    alternatives: z.array(connectorCredentialTypeSchema),
    fixed: z.record(z.string(), z.string()),
    optional: z.boolean(),
    help: z.string().optional(),
  }),
  settings: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      required: z.boolean(),
      pattern: z.string(),
      default: z.string().optional(),
      help: z.string().optional(),
    }),
  ),
  operations: z.array(connectorOperationViewSchema),
});
/** A connector as the API shows it. */
export type ConnectorView = z.infer<typeof connectorViewSchema>;

/** `GET /api/v1/connectors` query. */
export const listConnectorsQuerySchema = z
  .object({
    search: z.string().trim().max(100).optional().describe("matches name, description and operations"),
  })
  .strict();

/** `{connectorId}` in paths. */
export const connectorIdParamsSchema = z.object({ connectorId: z.string().min(1).max(64) }).strict();

/** Integration settings for a connector's `{placeholders}` (e.g. `{ subdomain: "acme" }`). */
export const connectorSettingsValuesSchema = z.record(z.string().min(1).max(64), z.string().max(500));
