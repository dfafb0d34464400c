import { trace } from "@opentelemetry/api";

/**
 * The active span's ids for a log line (`trace_id`, `span_id`), or nothing outside a recorded span.
 * Use as pino's `mixin` so every line written while serving a request names its trace.
 *
 * @example
 * ```ts
 * const logger = pino({ mixin: logTraceFields });
 * ```
 */
export function logTraceFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId, traceFlags } = span.spanContext();
  // An unsampled or no-op span has no trace worth naming.
  if (!traceFlags && !span.isRecording()) return {};
  return { trace_id: traceId, span_id: spanId };
}
