import { connectorIdParamsSchema, connectorViewSchema, listConnectorsQuerySchema } from "@parley/contract";
import { getConnector, listConnectors } from "@parley/core";
import { z } from "zod";
import { type AnyRouteSpec, defineRoute } from "../route-spec";

/**
 * The connector catalogue: declarative connectors (HubSpot, Salesforce, Stripe, ...) whose
 * operations http nodes call by id (`operation`) through an integration created from them.
 */
export const connectorRoutes: AnyRouteSpec[] = [
  defineRoute({
    method: "GET",
    path: "/api/v1/connectors",
    operationId: "listConnectors",
    summary: "List the connector catalogue (auth, settings, operations with their inputs)",
    description:
      "Create an integration from one with `POST /api/v1/integrations` `{ name, connector, credentials, settings }`; " +
      'an http node then names `operation: "<id>"` with `inputs` instead of method and URL.',
    tag: "Connectors",
    permission: "flows:read",
    query: listConnectorsQuerySchema,
    success: {
      status: 200,
      description: "The connectors, by name",
      schema: z.object({ items: z.array(connectorViewSchema) }),
    },
    handler: async ({ query, ctx }) => ({ items: listConnectors(ctx, query) }),
  }),
  defineRoute({
    method: "GET",
    path: "/api/v1/connectors/{connectorId}",
    operationId: "getConnector",
    summary: "Describe one connector and its operations",
    tag: "Connectors",
    permission: "flows:read",
    params: connectorIdParamsSchema,
    success: { status: 200, description: "The connector", schema: connectorViewSchema },
    errors: [404],
    handler: async ({ params, ctx }) => getConnector(ctx, params.connectorId),
  }),
];
