import scalarApiReference from "@scalar/fastify-api-reference";
import type { FastifyInstance } from "fastify";

/** Where the readable API reference is served (the start banner and README point here). */
export const DOCS_PATH = "/api/docs";

/**
 * Serves the API reference at `/api/docs`, rendered in the browser by Scalar's API reference
 * (`@scalar/fastify-api-reference`: a maintained renderer with generated request/response
 * examples, code samples per operation and search). Its script is served by the plugin itself
 * from the package (`/api/docs/js/scalar.js`) and the default web fonts are off, so the page
 * needs nothing from the internet: offline installs read it as well.
 */
export function registerDocsPage(app: FastifyInstance, openApiPath: string): void {
  void app.register(scalarApiReference, {
    routePrefix: DOCS_PATH,
    logLevel: "warn",
    configuration: {
      url: openApiPath,
      title: "Parley API reference",
      withDefaultFonts: false,
      hideClientButton: true,
      telemetry: false,
    },
  });
}
