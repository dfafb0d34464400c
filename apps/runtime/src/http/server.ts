import multipart from "@fastify/multipart";
import type { CoreDeps } from "@parley/core";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { createRuntimeMetrics, type RuntimeMetrics } from "../metrics";
import type { ReadinessCheck } from "../readiness";
import { Admission } from "./admission";
import { apiDocument } from "./api-document";
import { registerDocsPage } from "./docs-page";
import {
  frameworkProblemHandler,
  MAX_PATH_PARAMETER_LENGTH,
  problemErrorHandler,
  sendProblem,
} from "./problem";
import { type ApiLimits, createApiLimits, registerApiRoutes } from "./register-routes";
import { registerRequestTracing } from "./request-tracing";
import { allRoutes } from "./routes";
import { registerChannelFileRoute } from "./routes/channel-file-route";
import { registerChannelWebhookRoute } from "./routes/channel-webhook-route";
import { registerHealthRoutes } from "./routes/health";
import { registerMetricsRoute } from "./routes/metrics";
import { registerWidgetRoutes } from "./routes/widget";

/** What the HTTP layer needs; tests pass their own, `main.ts` wires the real ones. */
export interface RuntimeServerOptions {
  readonly readinessChecks: readonly ReadinessCheck[];
  /** The service layer's dependencies; without them only health, metrics and docs are served. */
  readonly deps?: CoreDeps;
  readonly limits?: ApiLimits;
  /**
   * Admission control of API requests; share it with `createCoreDeps({ ioWait })` so turns give
   * their slot back while they wait on models. Default: one built from the two options below.
   */
  readonly admission?: Admission;
  /** API requests processed at once; the rest wait up to `maxQueueMs`, then 503. */
  readonly maxConcurrentRequests?: number;
  readonly maxQueueMs?: number;
  readonly bodyLimit?: number;
  /**
   * Proxies whose `X-Forwarded-For`/`-Host`/`-Proto` are believed (addresses or CIDR ranges);
   * empty: none, the peer address is the client.
   */
  readonly trustedProxies?: readonly string[];
  readonly logLevel?: string;
  /** Echoed by the health routes (see `PARLEY_INSTANCE_ID`). */
  readonly instanceId?: string;
  /** A pino logger to use instead of Fastify's own. */
  readonly logger?: FastifyBaseLogger;
  readonly metrics?: RuntimeMetrics;
  readonly demoFile?: string;
  readonly runtimeUrl?: string;
}

/** Builds the runtime's Fastify app without listening, so tests can drive it over a real socket or `inject`. */
export function buildRuntimeServer(options: RuntimeServerOptions): FastifyInstance {
  const app = Fastify({
    ...(options.logger
      ? { loggerInstance: options.logger }
      : { logger: { level: options.logLevel ?? "info" } }),
    bodyLimit: options.bodyLimit ?? 1_048_576,
    // Forwarded headers are anyone's to forge: believed only from the configured proxies.
    trustProxy: options.trustedProxies?.length ? [...options.trustedProxies] : false,
    requestIdHeader: "x-request-id",
    routerOptions: { maxParamLength: MAX_PATH_PARAMETER_LENGTH },
    frameworkErrors: frameworkProblemHandler,
    return503OnClosing: true,
    forceCloseConnections: "idle",
  }) as unknown as FastifyInstance;
  const metrics = options.metrics ?? createRuntimeMetrics();
  registerRequestTracing(app);
  app.setErrorHandler(problemErrorHandler);
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, 404, "route-not-found", `there is no ${request.method} ${request.url.split("?")[0]}`),
  );
  app.addHook("onSend", async (request, reply, payload) => {
    reply.header("x-request-id", request.id);
    return payload;
  });
  app.addHook("onResponse", async (request, reply) => {
    metrics.observeRequest(
      request.routeOptions.url ?? "unmatched",
      request.method,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  registerHealthRoutes(app, options.readinessChecks, options.instanceId);
  registerMetricsRoute(app, metrics.registry);

  const document = apiDocument(options.runtimeUrl);
  app.get("/api/v1/openapi.json", async (_request, reply) =>
    reply.header("access-control-allow-origin", "*").send(document),
  );
  registerDocsPage(app, "/api/v1/openapi.json");

  if (options.deps) {
    // multipart/form-data for file uploads (knowledge documents); each route sets its own file limit.
    void app.register(multipart, { limits: { files: 1, fileSize: 10 * 1024 * 1024 } });
    registerApiRoutes(app, allRoutes, {
      deps: options.deps,
      admission:
        options.admission ??
        new Admission({ limit: options.maxConcurrentRequests ?? 32, maxWaitMs: options.maxQueueMs ?? 5_000 }),
      limits: options.limits ?? createApiLimits((limiter) => options.deps!.infra.rateLimiter(limiter)),
    });
    registerChannelWebhookRoute(app, options.deps);
    registerChannelFileRoute(app, options.deps);
  }
  registerWidgetRoutes(app, {
    ...(options.demoFile ? { demoFile: options.demoFile } : {}),
    ...(options.runtimeUrl ? { runtimeUrl: options.runtimeUrl } : {}),
  });
  return app;
}
