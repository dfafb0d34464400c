import { context, propagation, trace } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, NodeTracerProvider, type SpanExporter } from "@opentelemetry/sdk-trace-node";

/** What a process says about itself in its spans. */
export interface TracingOptions {
  /** OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`); spans go to `<endpoint>/v1/traces`. */
  readonly endpoint: string;
  /** `service.name` of the spans, e.g. `parley-runtime`. */
  readonly serviceName: string;
  /** `service.instance.id` (`PARLEY_INSTANCE_ID`, a pod name), when known. */
  readonly instanceId?: string;
  /** For tests: export to this exporter instead of OTLP. */
  readonly exporter?: SpanExporter;
}

/** A started tracer provider. */
export interface Tracing {
  /** Exports the spans ended so far now rather than with the next batch. */
  flush(): Promise<void>;
  /** Flushes, then stops tracing in this process. */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry tracing for this process: spans made through `@opentelemetry/api` anywhere in
 * the code (they are no-ops until this runs) are batched and exported over OTLP/HTTP (JSON), the
 * active span follows async calls (AsyncLocalStorage), and W3C `traceparent` headers are read and
 * written. Call once at start-up, before serving.
 *
 * @example
 * ```ts
 * const tracing = env.OTEL_EXPORTER_OTLP_ENDPOINT
 *   ? startTracing({ endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: "parley-runtime" })
 *   : undefined;
 * // ... on shutdown:
 * await tracing?.shutdown();
 * ```
 */
export function startTracing(options: TracingOptions): Tracing {
  const exporter =
    options.exporter ?? new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, "")}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      "service.name": options.serviceName,
      ...(options.instanceId ? { "service.instance.id": options.instanceId } : {}),
    }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return {
    flush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
