import { OutboundHttpError } from "./outbound-http-error";

/** Default largest response body read from an API (JSON replies, streamed model answers): 4 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** Default largest document download (knowledge URL import of PDFs and pages): 25 MiB. */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 25 * 1024 * 1024;

/** Environment variable of the API response limit (read through each app's env schema). */
export const MAX_RESPONSE_BYTES_ENV = "PARLEY_OUTBOUND_MAX_RESPONSE_BYTES";
/** Environment variable of the document download limit. */
export const MAX_DOWNLOAD_BYTES_ENV = "PARLEY_OUTBOUND_MAX_DOWNLOAD_BYTES";

/**
 * The error of a response over its limit; the node's error branch and the model fallback get it.
 * `variable` names the setting that sets the limit (absent: the caller's own limit).
 * @example
 * responseTooLarge("api.example.com", 4_194_304, MAX_RESPONSE_BYTES_ENV).message
 * // "response from api.example.com exceeded 4194304 bytes (PARLEY_OUTBOUND_MAX_RESPONSE_BYTES)"
 */
export function responseTooLarge(host: string, maxBytes: number, variable?: string) {
  return new OutboundHttpError(
    "RESPONSE_TOO_LARGE",
    `response from ${host} exceeded ${maxBytes} bytes${variable ? ` (${variable})` : ""}`,
  );
}

/** Whether a declared `Content-Length` already says the body is over the limit. */
export function declaresMoreThan(contentLength: string | null | undefined, maxBytes: number): boolean {
  if (contentLength === null || contentLength === undefined) return false;
  const declared = Number(contentLength);
  return Number.isFinite(declared) && declared > maxBytes;
}

/** Whether the body arrives as sent (no compression that could decode to more bytes than declared). */
function isIdentityEncoded(contentEncoding: string | null): boolean {
  return (
    contentEncoding === null ||
    contentEncoding.trim() === "" ||
    contentEncoding.trim().toLowerCase() === "identity"
  );
}

/**
 * `response` with its body capped at `maxBytes`: refused at once when `Content-Length` declares more
 * (the body is cancelled, which closes the connection), otherwise counted as it streams (SSE keeps
 * flowing chunk by chunk) and failed with {@link responseTooLarge} at the first byte over, cancelling
 * the rest. Decoded bytes are counted, so a compressed body cannot inflate past the limit either; an
 * uncompressed body with a declared length within the limit is returned as is (its framing caps it).
 * @throws OutboundHttpError `RESPONSE_TOO_LARGE` (declared length)
 */
export async function cappedResponse(response: Response, maxBytes: number, host: string): Promise<Response> {
  // Bodiless statuses cannot be rebuilt with a body (and have none to cap).
  if (!response.body || [204, 205, 304].includes(response.status)) return response;
  const contentLength = response.headers.get("content-length");
  if (declaresMoreThan(contentLength, maxBytes)) {
    await response.body.cancel().catch(() => {});
    throw responseTooLarge(host, maxBytes, MAX_RESPONSE_BYTES_ENV);
  }
  // A declared length within the limit on an uncompressed body bounds what is read: HTTP/1.1
  // framing stops the body there (undici reads exactly Content-Length bytes). Such replies (every
  // non-streamed model answer) skip the counting stream, which costs a turn more CPU than the rest
  // of the model call's handling.
  if (contentLength !== null && isIdentityEncoded(response.headers.get("content-encoding"))) return response;
  let received = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      received += chunk.byteLength;
      // Erroring the transform cancels the source: undici destroys the socket, nothing more is read.
      if (received > maxBytes) controller.error(responseTooLarge(host, maxBytes, MAX_RESPONSE_BYTES_ENV));
      else controller.enqueue(chunk);
    },
  });
  const capped = new Response(response.body.pipeThrough(counter), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  // Callers (the SDKs) read these from the original.
  Object.defineProperty(capped, "url", { value: response.url });
  Object.defineProperty(capped, "redirected", { value: response.redirected });
  return capped;
}
