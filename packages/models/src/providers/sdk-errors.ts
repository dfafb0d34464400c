import { failureForStatus, ProviderError, retryAfterMsFromHeaders } from "./provider-error";

/** The shape the OpenAI and Anthropic SDKs give their API errors (status + fetch Headers). */
interface StainlessApiError {
  status?: number;
  headers?: { get(name: string): string | null };
  message: string;
  name: string;
}

function looksLikeStainlessError(error: unknown): error is StainlessApiError {
  return error instanceof Error && ("status" in error || "headers" in error);
}

/**
 * Converts an error thrown by the OpenAI or Anthropic SDK (they share one generator) into a
 * {@link ProviderError}: HTTP status, Retry-After, connection failures and client timeouts.
 */
export function fromStainlessError(provider: string, error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : String(error);
  if (/UserAbort/i.test(name))
    return new ProviderError("aborted", `${provider}: request aborted`, { cause: error });
  if (/Timeout/i.test(name)) return new ProviderError("timeout", `${provider}: ${message}`, { cause: error });
  if (looksLikeStainlessError(error) && typeof error.status === "number") {
    const retryAfterMs = error.headers ? retryAfterMsFromHeaders((h) => error.headers?.get(h)) : undefined;
    return new ProviderError(
      failureForStatus(error.status),
      `${provider}: HTTP ${error.status}: ${message}`,
      {
        status: error.status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        cause: error,
      },
    );
  }
  return new ProviderError("network", `${provider}: ${message}`, { cause: error });
}
