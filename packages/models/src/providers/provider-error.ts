import { OutboundHttpError } from "@parley/infra";

/** Why a provider call failed, as the orchestrator needs to know it. */
export type ProviderFailure =
  | "rate_limited"
  | "server_error"
  | "timeout"
  | "network"
  | "auth"
  | "bad_request"
  | "refused"
  | "empty"
  | "invalid_json"
  | "aborted"
  | "circuit_open"
  /** The endpoint is not one the platform may contact (SSRF rules): permanent, not a health problem. */
  | "blocked"
  /**
   * The reply was larger than `PARLEY_OUTBOUND_MAX_RESPONSE_BYTES` (cut off, connection closed):
   * not retried on the same model, the route's next model answers instead.
   */
  | "too_large";

const HEALTH_FAILURES = new Set<ProviderFailure>(["rate_limited", "server_error", "timeout", "network"]);
const RETRYABLE = new Set<ProviderFailure>(["rate_limited", "server_error", "timeout", "network"]);

/** A provider call failed; carries what routing needs (retry? after how long? counts against health?). */
export class ProviderError extends Error {
  override readonly name = "ProviderError";
  constructor(
    readonly failure: ProviderFailure,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }
  /** Worth retrying on the same model (after a backoff). */
  get retryable(): boolean {
    return RETRYABLE.has(this.failure);
  }
  /** Counts toward opening the model's circuit breaker. */
  get unhealthy(): boolean {
    return HEALTH_FAILURES.has(this.failure);
  }
}

/** Failure kind for an HTTP status answered by a provider. */
export function failureForStatus(status: number | undefined): ProviderFailure {
  if (status === undefined) return "network";
  if (status === 429) return "rate_limited";
  if (status === 408) return "timeout";
  if (status === 401 || status === 403) return "auth";
  if (status >= 500) return "server_error";
  return "bad_request";
}

/**
 * Milliseconds to wait from `retry-after-ms` or `Retry-After` (seconds or an HTTP date), or undefined.
 */
export function retryAfterMsFromHeaders(
  get: (name: string) => string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  const ms = get("retry-after-ms");
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  const value = get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Whether an error is the abort of `signal` (the caller cancelled or the node timed out). */
export function isAbortFrom(signal: AbortSignal, error: unknown): boolean {
  if (!signal.aborted) return false;
  return (
    error === signal.reason || (error instanceof Error && /abort/i.test(`${error.name} ${error.message}`))
  );
}

/** The error a provider throws when the caller's signal aborted the call. */
export function abortedError(provider: string, cause: unknown): ProviderError {
  return new ProviderError("aborted", `${provider}: request aborted`, { cause });
}

/**
 * The guarded fetch's refusal inside an SDK error (the SDKs wrap fetch failures, e.g. as the cause
 * of a "Connection error."), as a {@link ProviderError} carrying the guard's reason: `blocked` for
 * a destination the SSRF rules refuse, `too_large` for a reply over the response cap; or undefined
 * when the error is something else.
 */
export function guardError(provider: string, error: unknown): ProviderError | undefined {
  for (let current = error, depth = 0; current && depth < 6; depth += 1) {
    if (
      current instanceof OutboundHttpError &&
      (current.code === "BLOCKED_DESTINATION" || current.code === "INVALID_URL")
    ) {
      return new ProviderError("blocked", `${provider}: ${current.message}`, { cause: error });
    }
    if (current instanceof OutboundHttpError && current.code === "RESPONSE_TOO_LARGE") {
      return new ProviderError("too_large", `${provider}: ${current.message}`, { cause: error });
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
