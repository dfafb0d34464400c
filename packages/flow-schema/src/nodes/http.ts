import { z } from "zod";
import {
  effectTimeoutMsSchema,
  jsonataExpressionSchema,
  templateSchema,
  variableNameSchema,
} from "../common";
import { defineNodeSchema } from "./define-node";

/** HTTP methods an `http` node can use. */
export const httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/**
 * A body rendered from a template. With `contentType: "json"` the rendered text must be JSON;
 * the engine JSON-escapes substituted values inside JSON string literals.
 */
export const templateHttpBodySchema = z
  .strictObject({
    type: z.literal("template"),
    contentType: z.enum(["json", "text", "form"]).default("json"),
    template: templateSchema,
  })
  .meta({ id: "TemplateHttpBody" });

/** A JSON body computed by a JSONata expression over the variables (safer than templating JSON). */
export const expressionHttpBodySchema = z
  .strictObject({ type: z.literal("expression"), expression: jsonataExpressionSchema })
  .meta({ id: "ExpressionHttpBody" });

/** The request body, discriminated by `type`. */
export const httpBodySchema = z
  .discriminatedUnion("type", [templateHttpBodySchema, expressionHttpBodySchema])
  .meta({ id: "HttpBody" });

/**
 * A GraphQL request: the node POSTs `{ query, variables }` as JSON (its `body` is not used) and a
 * response with a non-empty `errors` array takes the `error` branch with their messages.
 * `variables` is a JSONata expression over the flow's variables giving the variables object
 * (`{ "id": orderId }`).
 */
export const graphqlRequestSchema = z
  .strictObject({
    query: z.string().min(1).max(100_000),
    variables: jsonataExpressionSchema.optional(),
    operationName: z.string().min(1).max(200).optional(),
  })
  .meta({ id: "GraphqlRequest" });

/**
 * Copies part of the response into a declared variable. `expression` is JSONata evaluated against
 * `{ status, headers, body }` (body parsed as JSON when the response is JSON, else text).
 */
export const responseMappingSchema = z
  .strictObject({ variable: variableNameSchema, expression: jsonataExpressionSchema })
  .meta({ id: "ResponseMapping" });

/**
 * Data of an `http` node: one outbound request through the guarded HTTP client.
 *
 * - With `integrationId`, the tenant integration supplies the base URL and credentials, and
 *   `url` is a path template relative to it (`/contacts/{{ contactId }}`).
 * - Without it, `url` is an absolute `https://` URL template.
 *
 * - With `graphql`, the request is a GraphQL POST (see graphqlRequestSchema).
 * - With `operation` (and `integrationId` naming an integration created from a catalogue connector),
 *   the connector's operation supplies method, path, query and body from `inputs` (templates), and
 *   `method`/`url` are not used; the response `body` is the operation's mapped result.
 *
 * A 2xx response applies `responseMapping` and takes `success`. Any other status, a timeout, a
 * network or mapping failure takes `error` (the reason is in `sys.lastError`).
 */
export const httpNodeDataSchema = z
  .strictObject({
    integrationId: z.string().min(1).max(128).optional(),
    method: z.enum(httpMethods).default("GET"),
    /** Required unless `operation` is set (publishing reports `missing-url`). */
    url: templateSchema.default(""),
    /** A connector operation id (e.g. `create-contact`) of the integration's connector. */
    operation: z.string().min(1).max(64).optional(),
    /** The operation's inputs by name: templates rendered at run time (`{{ email }}`). */
    inputs: z.record(z.string().min(1).max(64), templateSchema).optional(),
    headers: z.record(z.string().min(1).max(100), templateSchema).default({}),
    query: z.record(z.string().min(1).max(100), templateSchema).default({}),
    body: httpBodySchema.optional(),
    graphql: graphqlRequestSchema.optional(),
    responseMapping: z.array(responseMappingSchema).max(50).default([]),
    saveStatusTo: variableNameSchema.optional(),
    timeoutMs: effectTimeoutMsSchema.default(10_000),
  })
  .meta({ id: "HttpNodeData" });

/** Data of an `http` node. */
export type HttpNodeData = z.infer<typeof httpNodeDataSchema>;
/** An HTTP method. */
export type HttpMethod = (typeof httpMethods)[number];
/** The request body of an `http` node. */
export type HttpBody = z.infer<typeof httpBodySchema>;
/** One response mapping of an `http` node. */
export type ResponseMapping = z.infer<typeof responseMappingSchema>;

/** An `http` node. */
export const httpNodeSchema = defineNodeSchema("http", httpNodeDataSchema, "HttpNode");

/** An `http` node. */
export type HttpNode = z.infer<typeof httpNodeSchema>;
