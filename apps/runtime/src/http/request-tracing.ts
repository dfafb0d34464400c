import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { FastifyInstance, FastifyRequest } from "fastify";

const spans = new WeakMap<FastifyRequest, Span>();

/**
 * One server span per request (`GET /api/v1/conversations/:conversationId`), continuing the caller's
 * trace when it sends a W3C `traceparent`, and active while the request's hooks and handler run, so
 * the turn pipeline's spans (lock, load, engine, nodes, effects, commit) are its children. With
 * tracing not started (no `OTEL_EXPORTER_OTLP_ENDPOINT`) the spans are no-ops.
 */
export function registerRequestTracing(app: FastifyInstance): void {
  const tracer = trace.getTracer("parley-runtime");
  app.addHook("onRequest", (request, _reply, done) => {
    const parent = propagation.extract(context.active(), request.headers);
    const route = request.routeOptions.url;
    const span = tracer.startSpan(
      route ? `${request.method} ${route}` : request.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          "http.request.method": request.method,
          "url.path": request.url.split("?")[0] ?? request.url,
          ...(route ? { "http.route": route } : {}),
          "parley.request.id": request.id,
        },
      },
      parent,
    );
    spans.set(request, span);
    // The rest of the request (later hooks, the handler) runs inside the span's context.
    context.with(trace.setSpan(parent, span), done);
  });
  app.addHook("onError", async (request, _reply, error) => {
    spans.get(request)?.recordException(error);
  });
  app.addHook("onResponse", async (request, reply) => {
    const span = spans.get(request);
    if (!span) return;
    span.setAttribute("http.response.status_code", reply.statusCode);
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    spans.delete(request);
  });
}
