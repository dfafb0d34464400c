import { isConnectionLost } from "@parley/db";
import { ServiceError } from "./errors";

/**
 * The {@link ServiceError} an infrastructure failure stands for, or undefined when `error` is not one
 * the caller may retry. Today: the database unreachable or its session dropped (a restart, a failover)
 * is `unavailable` / `database-unavailable` with a one-second Retry-After, so clients and platforms
 * retry the same request (with its client message id) instead of treating it as a bug of ours.
 *
 * @example
 * ```ts
 * const known = error instanceof ServiceError ? error : asServiceError(error);
 * if (known) return problemOf(known);
 * ```
 */
export function asServiceError(error: unknown): ServiceError | undefined {
  if (error instanceof ServiceError) return error;
  if (isConnectionLost(error)) {
    return new ServiceError(
      "unavailable",
      "database-unavailable",
      "the database is unreachable or restarting; retry the request in a moment",
      { retryAfterSeconds: 1, cause: error },
    );
  }
  return undefined;
}
