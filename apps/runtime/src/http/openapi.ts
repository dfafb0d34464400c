import { problemSchema } from "@parley/contract";
import { z } from "zod";
import type { AnyRouteSpec } from "./route-spec";

type JsonSchema = Record<string, unknown>;

/** JSON Schema (2020-12, as OpenAPI 3.1 uses) of a zod schema, inlined and self-contained. */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const json = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
    reused: "inline",
    // A private registry: ids registered globally (FlowProblem, ...) would become $defs refs that
    // an OpenAPI document cannot resolve from inside a path item.
    metadata: z.registry<{ id?: string }>(),
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

function parametersOf(schema: z.ZodType | undefined, where: "path" | "query"): JsonSchema[] {
  if (!schema) return [];
  const json = jsonSchemaOf(schema, "input") as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === "path" || (json.required ?? []).includes(name),
    ...(typeof property.description === "string" ? { description: property.description } : {}),
    schema: property,
  }));
}

const problemResponse = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Malformed JSON, unknown fields or invalid values",
  401: "Missing, unknown, revoked or expired key",
  403: "The key lacks the permission, or the origin is not allowed",
  404: "No such resource in this tenant",
  409: "The resource is in a state that does not allow this",
  413: "The body is larger than the configured limit",
  422: "The input is well-formed but not acceptable",
  429: "Rate limit exceeded; see Retry-After",
  503: "Busy or not ready; see Retry-After",
};

/** Builds the OpenAPI 3.1 document of the REST API from the route table. */
export function buildOpenApiDocument(
  routes: readonly AnyRouteSpec[],
  options: { serverUrl?: string } = {},
): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const errors = new Set([400, 429, ...(route.auth === "none" ? [] : [401, 403]), ...(route.errors ?? [])]);
    const successContent: Record<string, unknown> = {};
    if (route.success.schema)
      successContent["application/json"] = { schema: jsonSchemaOf(route.success.schema, "output") };
    if (route.streams) {
      successContent["text/event-stream"] = {
        schema: { type: "string" },
        description:
          "Send `Accept: text/event-stream`: `message`, `token` and finally `done` (or `error`) events.",
      };
    }
    for (const [mediaType, description] of Object.entries(route.alternateContent ?? {})) {
      successContent[mediaType] = { schema: { type: "string" }, description };
    }
    const operation: Record<string, unknown> = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description || route.permission
        ? {
            description: [route.description, route.permission ? `Requires \`${route.permission}\`.` : ""]
              .filter(Boolean)
              .join("\n\n"),
          }
        : {}),
      tags: [route.tag],
      ...(route.auth === "none" ? { security: [] } : {}),
      // A secret key, or no key and a signature header the operation's description explains.
      ...(route.auth === "key-or-signed" ? { security: [{ bearer: [] }, {}] } : {}),
      parameters: [...parametersOf(route.params, "path"), ...parametersOf(route.query, "query")],
      ...(route.body
        ? {
            requestBody: {
              required: !route.bodyOptional,
              content: {
                "application/json": { schema: jsonSchemaOf(route.body, "input") },
                ...(route.multipart
                  ? {
                      "multipart/form-data": {
                        schema: {
                          ...jsonSchemaOf(route.multipart.fields, "input"),
                          properties: {
                            ...(jsonSchemaOf(route.multipart.fields, "input").properties as object),
                            file: {
                              type: "string",
                              format: "binary",
                              description: `The file (at most ${route.multipart.maxFileBytes} bytes)`,
                            },
                          },
                          required: ["file"],
                        },
                      },
                    }
                  : {}),
              },
            },
          }
        : {}),
      responses: {
        [String(route.success.status)]: {
          description: route.success.description,
          ...(Object.keys(successContent).length > 0 ? { content: successContent } : {}),
        },
        ...Object.fromEntries(
          [...errors]
            .sort()
            .map((status) => [String(status), problemResponse(ERROR_DESCRIPTIONS[status] ?? "Error")]),
        ),
      },
    };
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Parley REST API",
      version: "1.0.0",
      description:
        "Run conversations with published Parley bots and automate bots, flows, API keys, webhooks, " +
        "members and invitations, and read the audit log. " +
        "Authenticate with `Authorization: Bearer <key>`: a secret key (`sk_...`, scoped) for servers, " +
        "or a bot's publishable key (`pk_...`) from the bot's allowed origins. Errors are RFC 9457 " +
        "`application/problem+json`.",
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "sk_... or pk_..." } },
      schemas: { Problem: jsonSchemaOf(problemSchema, "output") },
    },
  };
}
