import {
  AllModelsFailedError,
  BudgetExceededError,
  DocumentExtractionError,
  ModelAdminError,
  RouteNotFoundError,
  StreamInterruptedError,
} from "@parley/models";
import { type FieldIssue, ServiceError } from "../errors";

/** A Prisma "unique constraint failed" error (a name taken by a concurrent save). */
function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "P2002";
}

/**
 * The errors @parley/models throws on purpose, as the studio's {@link ServiceError}s (which the
 * tRPC layer turns into TRPCErrors with a clear message and, for forms, field issues). Anything
 * else is rethrown untouched and reported as an internal error.
 */
export function toServiceError(error: unknown, what: string): unknown {
  if (error instanceof ServiceError) return error;
  if (error instanceof ModelAdminError) {
    // Some name the fields they are about (a base URL the platform may not contact, every problem
    // of a bot's routing): show them there.
    return new ServiceError("invalid", "model-config-invalid", error.message, {
      ...(error.issues.length > 0 ? { errors: error.issues } : {}),
    });
  }
  if (error instanceof RouteNotFoundError)
    return new ServiceError("not_found", "route-not-found", error.message, {
      errors: [{ path: "route", message: error.message }],
    });
  if (error instanceof AllModelsFailedError) {
    const errors: FieldIssue[] = error.attempts.map((attempt) => ({
      path: `${attempt.provider}/${attempt.model}`,
      message: `${attempt.outcome}${attempt.error ? `: ${attempt.error}` : ""}`,
    }));
    return new ServiceError("unavailable", "all-models-failed", error.message, { errors });
  }
  if (error instanceof BudgetExceededError)
    return new ServiceError("rate_limited", "budget-exceeded", error.message);
  if (error instanceof StreamInterruptedError)
    return new ServiceError("unavailable", "answer-interrupted", error.message);
  if (error instanceof DocumentExtractionError)
    return new ServiceError(
      "invalid",
      "document-unreadable",
      `the document cannot be read: ${error.message}`,
      {
        errors: [{ path: "content", message: error.message }],
      },
    );
  if (error instanceof RangeError)
    return new ServiceError("invalid", "document-too-large", error.message, {
      errors: [{ path: "content", message: error.message }],
    });
  if (isUniqueViolation(error))
    return new ServiceError(
      "conflict",
      `${what}-exists`,
      `a ${what.replace(/-/g, " ")} with that name already exists`,
      {
        errors: [{ path: "name", message: "this name is already taken" }],
      },
    );
  return error;
}

/** Runs `work`, turning @parley/models' errors into {@link ServiceError}s (see {@link toServiceError}). */
export async function withModelErrors<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toServiceError(error, what);
  }
}
