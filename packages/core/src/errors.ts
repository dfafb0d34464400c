import { fieldProblems, type ParseIssue } from "@parley/contract";

/** What kind of failure a service reports; the HTTP layer maps each to a status code. */
export type ServiceErrorKind =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "unavailable";

/** One field-level problem of an invalid input: a JSON path and what is wrong there. */
export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * The one error type services throw on purpose. `code` is stable (`bot-not-found`,
 * `flow-invalid`, ...); `message` says what is wrong for people; `errors` lists field problems.
 */
export class ServiceError extends Error {
  override readonly name = "ServiceError";
  constructor(
    readonly kind: ServiceErrorKind,
    readonly code: string,
    message: string,
    readonly details: { errors?: FieldIssue[]; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }
}

/** A `not_found` error for a resource kind and id, never telling whether it exists elsewhere. */
export const notFound = (resource: string, id: string): ServiceError =>
  new ServiceError(
    "not_found",
    `${resource}-not-found`,
    `${resource.replace(/-/g, " ")} ${id} was not found`,
  );

/** Field problems from a zod error, with dotted paths; a union names its closest alternative's problems. */
export function issuesOf(error: { issues: readonly ParseIssue[] }): FieldIssue[] {
  return fieldProblems(error.issues);
}

/** Parses `input` with `schema` or throws an `invalid` ServiceError naming every bad field. */
export function parseInput<T>(
  schema: {
    safeParse(
      input: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: readonly ParseIssue[] } };
  },
  input: unknown,
  what: string,
): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = issuesOf(result.error);
  throw new ServiceError(
    "invalid",
    "invalid-input",
    `invalid ${what}: ${errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
    { errors },
  );
}
