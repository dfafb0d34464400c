import { buildOpenApiDocument } from "./openapi";
import { allRoutes } from "./routes";

/**
 * The OpenAPI 3.1 document of API v1, from the one route list. With `serverUrl`, it names where
 * the API answers (the served document does); without, it is the portable document
 * `@parley/client` is generated from (`packages/client/openapi.json`).
 */
export const apiDocument = (serverUrl?: string): Record<string, unknown> =>
  buildOpenApiDocument(allRoutes, serverUrl ? { serverUrl } : {});
