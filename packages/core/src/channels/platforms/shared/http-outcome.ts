import type { SendResult } from "../../platform-adapter";

/** Largest wait honoured from a `Retry-After` header; longer ones are capped so a turn is not parked for hours. */
const MAX_RETRY_AFTER_MS = 15 * 60_000;

/**
 * Milliseconds a `Retry-After` header asks to wait: delta-seconds or an HTTP date (RFC 9110 §10.2.3);
 * `undefined` when absent or unreadable.
 */
export function retryAfterMs(header: string | null, nowMs: number = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - nowMs), MAX_RETRY_AFTER_MS);
}

/**
 * The {@link SendResult} of a platform's HTTP answer: 2xx delivered; 429 and 5xx retryable (with the
 * `Retry-After` wait); any other 4xx permanent with the platform's own error message.
 * `describeError` reads the platform's error body; `isRateLimited` lets a platform flag a 4xx that is
 * really throttling (Graph answers some rate limits with 400 and an error code).
 */
export async function outcomeOf(
  response: Response,
  options: {
    platform: string;
    describeError: (body: unknown) => string | undefined;
    messageIdOf?: (body: unknown) => string | undefined;
    isRateLimited?: (body: unknown) => boolean;
  },
): Promise<SendResult> {
  const text = await response.text().catch(() => "");
  let body: unknown = text;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    // Not JSON: keep the text, it is still the best description of the failure.
  }
  if (response.ok) {
    const id = options.messageIdOf?.(body);
    return id === undefined ? { ok: true } : { ok: true, platformMessageId: id };
  }
  const described =
    options.describeError(body) ?? (typeof body === "string" && body !== "" ? body.slice(0, 300) : undefined);
  const error = `${options.platform} answered HTTP ${response.status}${described ? `: ${described}` : ""}`;
  if (response.status === 429 || response.status >= 500 || (options.isRateLimited?.(body) ?? false)) {
    const wait = retryAfterMs(response.headers.get("retry-after"));
    return wait === undefined
      ? { ok: false, retryable: true, error }
      : { ok: false, retryable: true, retryAfterMs: wait, error };
  }
  return { ok: false, retryable: false, error };
}

/** A network failure (refused destination, DNS, timeout) as a retryable {@link SendResult}, or permanent when the guard refused the address. */
export function networkFailure(platform: string, error: unknown): SendResult {
  let message = error instanceof Error ? error.message : String(error);
  // undici wraps the guard's refusal in "fetch failed": look down the cause chain.
  let refused = false;
  for (
    let node: unknown = error, depth = 0;
    node && depth < 5;
    node = (node as { cause?: unknown }).cause, depth++
  ) {
    const code = (node as { code?: unknown }).code;
    if (code === "BLOCKED_DESTINATION" || code === "INVALID_URL") refused = true;
    // "fetch failed" says nothing: the innermost cause says what went wrong.
    if (node !== error && node instanceof Error && node.message) message = node.message;
  }
  return refused
    ? { ok: false, retryable: false, error: `${platform} could not be reached: ${message}` }
    : { ok: false, retryable: true, error: `${platform} could not be reached: ${message}` };
}

/** Reads a JSON object property path safely from an untyped body. */
export function pick(body: unknown, ...path: string[]): unknown {
  let node: unknown = body;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** `pick` narrowed to a string (numbers are stringified), else `undefined`. */
export function pickString(body: unknown, ...path: string[]): string | undefined {
  const value = pick(body, ...path);
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}
