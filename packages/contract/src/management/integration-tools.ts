import { z } from "zod";
import { breakerStateSchema } from "./integrations";

const templateText = z.string().max(20_000);

/**
 * `POST /api/v1/integrations/{integrationId}/test` body: one request through the integration (its
 * base URL, credentials, resilience settings), with `{{ variable }}` templates rendered from
 * `variables`. `graphql` sends `{ query, variables }` as a JSON POST body instead of `body`.
 */
export const integrationTestInputSchema = z
  .object({
    method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("GET"),
    /** A path under the integration's base URL (templates allowed). */
    path: templateText.min(1).default("/"),
    headers: z.record(z.string().min(1).max(100), templateText).default({}),
    query: z.record(z.string().min(1).max(100), templateText).default({}),
    /** A JSON body template. */
    body: templateText.optional(),
    graphql: z
      .object({
        query: z.string().min(1).max(100_000),
        /** A JSONata expression over `variables` giving the GraphQL variables object. */
        variables: z.string().max(10_000).optional(),
      })
      .strict()
      .optional(),
    /**
     * A connector operation id (an integration created from a connector): the request is the
     * operation's, built from `inputs` (templates over `variables`), as an http node naming it.
     */
    operation: z.string().min(1).max(64).optional(),
    inputs: z.record(z.string().min(1).max(64), templateText).optional(),
    /** Answer with the integration's mock (as the test chat does) instead of calling the API. */
    useMock: z.boolean().default(false),
    /** Sample flow variables the templates and mappings see. */
    variables: z.record(z.string(), z.unknown()).default({}),
    /** JSONata mappings over `{ status, headers, body }`, as on an http node. */
    responseMapping: z
      .array(z.object({ variable: z.string().min(1).max(100), expression: z.string().min(1).max(10_000) }))
      .max(50)
      .default([]),
  })
  .strict();

/** What the sandbox sent (credentials masked) and got back, with timing and the mapping result. */
export const integrationTestResultSchema = z.object({
  request: z.object({
    method: z.string(),
    url: z.string(),
    headers: z.record(z.string(), z.string()),
    body: z.string().optional(),
  }),
  response: z
    .object({ status: z.number(), headers: z.record(z.string(), z.string()), body: z.unknown() })
    .nullable(),
  /** Why the call (or its mapping) failed, as the http node's `sys.lastError` would say. */
  error: z.string().optional(),
  /** Whether the integration's mock answered instead of the API. */
  mocked: z.boolean(),
  timing: z.object({ totalMs: z.number(), attempts: z.number().int() }),
  mapping: z.record(z.string(), z.unknown()),
});
/** What the sandbox sent and got back. */
export type IntegrationTestResult = z.infer<typeof integrationTestResultSchema>;

/** `GET /api/v1/integrations/{integrationId}/usage` query. */
export const integrationUsageQuerySchema = z.object({
  /** How many days back (default 7). */
  days: z.coerce.number().int().min(1).max(90).default(7),
});

/** Where an integration is used, call volume, error rate and latency, and its circuit breaker. */
export const integrationUsageSchema = z.object({
  integrationId: z.string(),
  from: z.string(),
  to: z.string(),
  calls: z.number().int(),
  errors: z.number().int(),
  /** errors / calls (0 without calls). */
  errorRate: z.number(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  breaker: breakerStateSchema,
  usedBy: z.array(
    z.object({
      botId: z.string(),
      flowId: z.string(),
      flowName: z.string(),
      nodeIds: z.array(z.string()),
    }),
  ),
});
/** Usage of an integration. */
export type IntegrationUsage = z.infer<typeof integrationUsageSchema>;

/** `POST /api/v1/integrations/{integrationId}/oauth/authorize` body. */
export const oauthAuthorizeInputSchema = z
  .object({
    /** Where the authorization server sends the user back (the studio's `/integrations/oauth/callback`). */
    redirectUri: z.url({ protocol: /^https?$/ }).optional(),
  })
  .strict();

/** The URL to send the user to, and the `state` the callback must come back with. */
export const oauthAuthorizeResultSchema = z.object({ authorizeUrl: z.string(), state: z.string() });

/** What the authorization server sent back to the callback. */
export const oauthCallbackInputSchema = z
  .object({
    state: z.string().min(1).max(200),
    code: z.string().min(1).max(4096).optional(),
    error: z.string().max(200).optional(),
    error_description: z.string().max(2000).optional(),
    iss: z.string().max(2000).optional(),
  })
  .strict();
