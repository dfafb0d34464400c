import { context, SpanStatusCode, trace } from "@opentelemetry/api";
import type { TurnTrace } from "@parley/engine";

const tracer = () => trace.getTracer("parley");

/**
 * Records the engine's own account of a turn as spans under the active one: one span per node
 * visited (`parley.node <kind>`) and, inside it, one per effect the node called (llm, http, nlu,
 * knowledge, expression) with its outcome. Built from the turn's trace, whose times are relative to
 * the turn's start, so the engine stays free of tracing (internal).
 *
 * @example
 * ```ts
 * const startedAt = Date.now();
 * const result = await runTurn(...);
 * recordTurnSpans(result.trace, startedAt);
 * ```
 */
export function recordTurnSpans(turn: TurnTrace, startedAtEpochMs: number): void {
  const parent = trace.getActiveSpan();
  if (!parent?.isRecording()) return;
  const parentContext = context.active();
  for (const node of turn.nodes) {
    const nodeSpan = tracer().startSpan(
      `parley.node ${node.kind}`,
      {
        startTime: startedAtEpochMs + node.at,
        attributes: { "parley.node.id": node.nodeId, "parley.node.kind": node.kind },
      },
      parentContext,
    );
    const nodeContext = trace.setSpan(parentContext, nodeSpan);
    for (const effect of turn.effects.filter((call) => call.nodeId === node.nodeId)) {
      const effectSpan = tracer().startSpan(
        `parley.effect ${effect.kind}`,
        {
          startTime: startedAtEpochMs + effect.at,
          attributes: {
            "parley.node.id": effect.nodeId,
            "parley.effect.kind": effect.kind,
            "parley.effect.outcome": effect.outcome,
            ...(effect.detail ? { "parley.effect.detail": effect.detail } : {}),
          },
        },
        nodeContext,
      );
      if (effect.outcome !== "ok")
        effectSpan.setStatus({ code: SpanStatusCode.ERROR, message: effect.detail ?? effect.outcome });
      effectSpan.end(startedAtEpochMs + effect.at + effect.durationMs);
    }
    nodeSpan.end(startedAtEpochMs + node.at + node.durationMs);
  }
}
