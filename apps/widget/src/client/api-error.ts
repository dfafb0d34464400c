import type { Problem } from "./types";

/**
 * A failed API call. `status` 0 means the network failed (no response, or a stream cut short).
 * `retryable` is true when sending the same request again may succeed: network failures, 5xx, 429.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;
  readonly retryable: boolean;
  /** Seconds the server asked us to wait (`Retry-After`), if any. */
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, options: { status: number; problem?: Problem; retryAfterSeconds?: number }) {
    super(message);
    this.name = "ApiError";
    this.status = options.status;
    this.problem = options.problem;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.retryable = options.status === 0 || options.status === 429 || options.status >= 500;
  }
}

/** Builds an ApiError from a non-2xx response, reading its problem+json body when there is one. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let problem: Problem | undefined;
  try {
    const body = (await response.json()) as Problem;
    if (body && typeof body.title === "string") problem = body;
  } catch {
    // Not JSON: the status line is all we have.
  }
  const retryAfter = Number(response.headers.get("retry-after"));
  return new ApiError(problem?.detail ?? problem?.title ?? `HTTP ${response.status}`, {
    status: response.status,
    ...(problem ? { problem } : {}),
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
  });
}
