import { type Attributes, SpanStatusCode, trace } from "@opentelemetry/api";

const tracer = () => trace.getTracer("parley");

/**
 * Runs `fn` inside a new span (a child of the active one) and ends it when `fn` settles, recording a
 * thrown error on the span. Costs next to nothing while tracing is not started (the API's no-op
 * tracer).
 *
 * @example
 * ```ts
 * const reply = await inSpan("parley.turn.commit", { "parley.conversation.id": id }, () => commit());
 * ```
 */
export async function inSpan<T>(name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * `fn` wrapped by {@link inSpan}: every call is a span named `name`, with attributes read from the
 * call's arguments.
 *
 * @example
 * ```ts
 * export const commitStep = traced("parley.turn.commit", commitStepUntraced, (_ctx, conversation) => ({
 *   "parley.conversation.id": conversation.id,
 * }));
 * ```
 */
export function traced<A extends unknown[], T>(
  name: string,
  fn: (...args: A) => Promise<T>,
  attributesOf: (...args: A) => Attributes = () => ({}),
): (...args: A) => Promise<T> {
  return (...args: A) => inSpan(name, attributesOf(...args), () => fn(...args));
}
