import {
  createIntegrationRequestSchema,
  integrationIdParamsSchema,
  integrationTestInputSchema,
  integrationTestResultSchema,
  integrationUsageQuerySchema,
  integrationUsageSchema,
  integrationViewSchema,
  oauthAuthorizeInputSchema,
  oauthAuthorizeResultSchema,
  oauthCallbackInputSchema,
  updateIntegrationInputSchema,
} from "@parley/contract";
import {
  completeOAuthConnect,
  createIntegration,
  deleteIntegration,
  getIntegration,
  integrationUsage,
  listIntegrations,
  startOAuthConnect,
  testIntegration,
  updateIntegration,
} from "@parley/core";
import { z } from "zod";
import { type AnyRouteSpec, defineRoute } from "../route-spec";

/**
 * Integrations: base URL, default headers and encrypted credentials that http nodes naming them
 * (`integrationId`: id or name) get injected. Credentials are write-only: responses show their type.
 */
export const integrationRoutes: AnyRouteSpec[] = [
  defineRoute({
    method: "GET",
    path: "/api/v1/integrations",
    operationId: "listIntegrations",
    summary: "List integrations (credentials' type only, never their values)",
    tag: "Integrations",
    permission: "integrations:manage",
    success: {
      status: 200,
      description: "The integrations",
      schema: z.object({ items: z.array(integrationViewSchema) }),
    },
    handler: async ({ ctx }) => ({ items: await listIntegrations(ctx) }),
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/integrations",
    operationId: "createIntegration",
    summary: "Create an HTTP integration for http nodes",
    description:
      '`credentials` is one of `{ type: "bearer", token }`, `{ type: "basic", username, password }`, ' +
      '`{ type: "header", name, value }`, `{ type: "api-key", name, value, in: "header"|"query" }`, ' +
      '`{ type: "hmac", secret, header, algorithm? }` (header value `<algorithm>=<hex HMAC of the raw body>`), ' +
      '`{ type: "oauth2-client-credentials", tokenUrl, clientId, clientSecret, scopes?, audience?, clientAuth?: "basic"|"body" }` or ' +
      '`{ type: "oauth2-authorization-code", authorizeUrl, tokenUrl, clientId, clientSecret, scopes? }` ' +
      "(then connect it with `POST /api/v1/integrations/{id}/oauth/authorize`). Secrets are encrypted " +
      "and shown only as hints (`set …abcd`). `config.settings` holds the time limit, retries, backoff, " +
      "circuit breaker and the test chat's mock response. http nodes with `integrationId` send their " +
      "(relative) URL under `config.baseUrl` with the credentials added. " +
      'From the catalogue: `{ name, connector: "<id>", credentials, settings? }` (see `GET /api/v1/connectors`; ' +
      "`baseUrl` overrides the connector's, e.g. a vendor sandbox); http nodes then call its operations by id.",
    tag: "Integrations",
    permission: "integrations:manage",
    body: createIntegrationRequestSchema,
    success: { status: 201, description: "Created", schema: integrationViewSchema },
    errors: [409, 422],
    handler: ({ body, ctx }) => createIntegration(ctx, body),
  }),
  defineRoute({
    method: "PATCH",
    path: "/api/v1/integrations/{integrationId}",
    operationId: "updateIntegration",
    summary: "Rename an integration, change its settings, or replace or remove (`null`) its credentials",
    tag: "Integrations",
    permission: "integrations:manage",
    params: integrationIdParamsSchema,
    body: updateIntegrationInputSchema,
    success: { status: 200, description: "Updated", schema: integrationViewSchema },
    errors: [404, 409, 422],
    handler: ({ params, body, ctx }) => updateIntegration(ctx, params.integrationId, body),
  }),
  defineRoute({
    method: "DELETE",
    path: "/api/v1/integrations/{integrationId}",
    operationId: "deleteIntegration",
    summary: "Delete an integration (http nodes using it take their error branch)",
    tag: "Integrations",
    permission: "integrations:manage",
    params: integrationIdParamsSchema,
    success: { status: 204, description: "Deleted" },
    errors: [404],
    handler: ({ params, ctx }) => deleteIntegration(ctx, params.integrationId),
  }),
  defineRoute({
    method: "GET",
    path: "/api/v1/integrations/{integrationId}",
    operationId: "getIntegration",
    summary: "Get an integration (secret hints, OAuth2 status, circuit breaker state)",
    tag: "Integrations",
    permission: "integrations:manage",
    params: integrationIdParamsSchema,
    success: { status: 200, description: "The integration", schema: integrationViewSchema },
    errors: [404],
    handler: ({ params, ctx }) => getIntegration(ctx, params.integrationId),
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/integrations/{integrationId}/test",
    operationId: "testIntegration",
    summary: "Sandbox: send one request through the integration with sample variables",
    description:
      "Runs the request as an http node would (base URL, credentials, retries, circuit breaker) without " +
      "touching a conversation, and returns the request as sent with credentials masked, the response, " +
      "timing and the response mappings' result. A failed call is a 200 with `error` set.",
    tag: "Integrations",
    permission: "integrations:manage",
    params: integrationIdParamsSchema,
    body: integrationTestInputSchema,
    success: { status: 200, description: "What was sent and received", schema: integrationTestResultSchema },
    errors: [404, 422],
    handler: ({ params, body, ctx }) => testIntegration(ctx, params.integrationId, body),
  }),
  defineRoute({
    method: "GET",
    path: "/api/v1/integrations/{integrationId}/usage",
    operationId: "getIntegrationUsage",
    summary: "Where an integration is used, its call volume, error rate, p50/p95 latency and breaker state",
    tag: "Integrations",
    permission: "integrations:manage",
    params: integrationIdParamsSchema,
    query: integrationUsageQuerySchema,
    success: { status: 200, description: "Usage", schema: integrationUsageSchema },
    errors: [404, 422],
    handler: ({ params, query, ctx }) => integrationUsage(ctx, params.integrationId, query),
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/integrations/{integrationId}/oauth/authorize",
    operationId: "authorizeIntegration",
    summary: "Start connecting an OAuth2 authorization-code integration (PKCE S256)",
    description:
      "Returns the URL to send the user to. The authorization server redirects back to the studio's " +
      "`/integrations/oauth/callback` (or `redirectUri`), where the same user finishes the connection.",
    tag: "Integrations",
    permission: "integrations:manage",
    params: integrationIdParamsSchema,
    body: oauthAuthorizeInputSchema,
    success: { status: 200, description: "Where to send the user", schema: oauthAuthorizeResultSchema },
    errors: [404, 422],
    handler: ({ params, body, ctx }) => startOAuthConnect(ctx, params.integrationId, body),
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/integrations/oauth/callback",
    operationId: "completeIntegrationAuthorization",
    summary:
      "Finish connecting an OAuth2 authorization-code integration (the authorization server's redirect)",
    description:
      "For a client that started with `POST /api/v1/integrations/{id}/oauth/authorize` and its own " +
      "`redirectUri`: send the `state` and `code` (or `error`) the authorization server redirected with. " +
      "Only the key that started the connection can finish it; the studio finishes on its callback page.",
    tag: "Integrations",
    permission: "integrations:manage",
    body: oauthCallbackInputSchema,
    success: { status: 200, description: "The connected integration", schema: integrationViewSchema },
    errors: [422],
    handler: ({ body, ctx }) => completeOAuthConnect(ctx, body),
  }),
];
