import {
  createIntegrationInputSchema,
  integrationIdParamsSchema,
  integrationViewSchema,
  updateIntegrationInputSchema,
} from "@parley/contract";
import { createIntegration, deleteIntegration, listIntegrations, updateIntegration } from "@parley/core";
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
      '`credentials` is `{ type: "bearer", token }`, `{ type: "basic", username, password }` or ' +
      '`{ type: "header", name, value }`; it is encrypted and never shown again. http nodes with ' +
      "`integrationId` send their (relative) URL under `config.baseUrl` with the credentials added. " +
      'From the catalogue: `{ name, connector: "<id>", credentials, settings? }` (see `GET /api/v1/connectors`; ' +
      "`baseUrl` overrides the connector's, e.g. a vendor sandbox); http nodes then call its operations by id.",
    tag: "Integrations",
    permission: "integrations:manage",
    body: createIntegrationInputSchema,
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
];
