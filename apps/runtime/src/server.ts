import Fastify, { type FastifyInstance } from "fastify";
import type { Registry } from "prom-client";
import { createMetricsRegistry } from "./metrics";
import type { ReadinessCheck } from "./readiness";
import { registerHealthRoutes } from "./routes/health";
import { registerMetricsRoute } from "./routes/metrics";

/** What the HTTP layer needs; tests pass their own, `main.ts` wires the real ones. */
export interface RuntimeServerOptions {
  readonly readinessChecks: readonly ReadinessCheck[];
  readonly bodyLimit?: number;
  readonly logLevel?: string;
  readonly metrics?: Registry;
}

/** Builds the runtime's Fastify app without listening, so tests can drive it over a real socket or `inject`. */
export function buildRuntimeServer(options: RuntimeServerOptions): FastifyInstance {
  const app = Fastify({
    logger: { level: options.logLevel ?? "info" },
    bodyLimit: options.bodyLimit ?? 1_048_576,
    requestIdHeader: "x-request-id",
    disableRequestLogging: false,
  });
  registerHealthRoutes(app, options.readinessChecks);
  registerMetricsRoute(app, options.metrics ?? createMetricsRegistry());
  return app;
}
