import type { TurnSession } from "../interpret/session";
import type { EffectCall } from "../interpret/trace";
import { describeError } from "./output";

/** An effect did not finish within its timeout. */
export class EffectTimeoutError extends Error {
  override readonly name = "EffectTimeoutError";
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
  }
}

/** A node needs a port the caller did not provide. */
export class MissingPortError extends Error {
  override readonly name = "MissingPortError";
  constructor(port: string) {
    super(`no ${port} port was provided to the engine`);
  }
}

/** How to call one port. */
export interface PortCall<T> {
  nodeId: string;
  kind: EffectCall["kind"];
  timeoutMs: number;
  /** Aborted when the machine stops the invocation. */
  signal: AbortSignal;
  /** A short description of a successful result for the trace (no secrets). */
  describe?: (result: T) => string | undefined;
}

/**
 * Calls a port under a timeout and records the call in the trace. The port gets an
 * AbortSignal that fires on timeout, on machine stop and on turn cancellation; if the port
 * ignores it, the call still settles (rejects) at the deadline. Rejects with the port's error
 * or {@link EffectTimeoutError}.
 */
export async function callPort<T>(
  session: TurnSession,
  call: PortCall<T>,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const at = session.trace.elapsed();
  // Listeners are removed when the call settles: the turn's signal outlives it (and turns that
  // cannot be cancelled share one signal), so a listener left behind would leak with every call.
  const detach: (() => void)[] = [];
  const abortFrom = (source: AbortSignal) => {
    if (source.aborted) {
      controller.abort(source.reason);
      return;
    }
    const forward = () => controller.abort(source.reason);
    source.addEventListener("abort", forward, { once: true });
    detach.push(() => source.removeEventListener("abort", forward));
  };
  abortFrom(call.signal);
  abortFrom(session.signal);

  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new EffectTimeoutError(call.timeoutMs);
      controller.abort(error);
      reject(error);
    }, call.timeoutMs);
    controller.signal.addEventListener(
      "abort",
      () => reject(controller.signal.reason ?? new Error("aborted")),
      {
        once: true,
      },
    );
  });
  const record = (outcome: EffectCall["outcome"], detail: string | undefined) =>
    session.trace.effect({
      nodeId: call.nodeId,
      kind: call.kind,
      at,
      durationMs: Math.round((session.trace.elapsed() - at) * 1000) / 1000,
      outcome,
      ...(detail ? { detail } : {}),
    });
  try {
    const result = await Promise.race([run(controller.signal), deadline]);
    record("ok", call.describe?.(result));
    return result;
  } catch (error) {
    record(error instanceof EffectTimeoutError ? "timeout" : "error", describeError(error));
    session.ports.logger.warn(
      { nodeId: call.nodeId, effect: call.kind, error: describeError(error) },
      "effect failed",
    );
    throw error;
  } finally {
    clearTimeout(timer);
    for (const remove of detach) remove();
    // The deadline promise may reject after the race settled; nobody listens any more.
    deadline.catch(() => {});
  }
}
