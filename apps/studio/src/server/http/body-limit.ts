import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";

/** A request body within its limit, or the 413 answer to send instead. */
export type BoundedBody =
  | { readonly ok: true; readonly body: Uint8Array | null }
  | { readonly ok: false; readonly response: Response };

/**
 * Reads a request's body, refusing more than `limit` bytes without holding them: a declared
 * `Content-Length` over the limit is refused before anything is read, and a body without one
 * (chunked) is counted as it streams and abandoned at the limit. Keeps an unauthenticated client from
 * making the studio buffer hundreds of MB (security review, finding 4).
 * @example
 * const read = await readBodyWithin(request, 1024 * 1024);
 * if (!read.ok) return read.response;
 */
export async function readBodyWithin(request: Request, limit: number): Promise<BoundedBody> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) {
    await request.body?.cancel().catch(() => {});
    return { ok: false, response: payloadTooLarge(request, limit) };
  }
  if (!request.body) return { ok: true, body: null };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      return { ok: false, response: payloadTooLarge(request, limit) };
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, body };
}

/**
 * 413 in tRPC's error shape (one entry per call for a batch), so the studio's client shows the
 * message like any other error; `Connection: close` because the rest of the body is not read.
 */
function payloadTooLarge(request: Request, limit: number): Response {
  const error = {
    error: {
      message: `The request body is larger than ${limit} bytes (the studio's limit, STUDIO_MAX_BODY_BYTES).`,
      code: TRPC_ERROR_CODES_BY_KEY.PAYLOAD_TOO_LARGE,
      data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413, limitBytes: limit },
    },
  };
  const url = new URL(request.url);
  const calls = url.searchParams.get("batch") === "1" ? procedurePaths(url).length : 0;
  const body = calls > 0 ? Array.from({ length: calls }, () => error) : error;
  return Response.json(body, { status: 413, headers: { connection: "close" } });
}

/** The procedure paths a tRPC URL calls (`/api/trpc/a.b,c.d` -> ["a.b", "c.d"]). */
export function procedurePaths(url: URL): string[] {
  const last = url.pathname.split("/").pop() ?? "";
  return decodeURIComponent(last)
    .split(",")
    .filter((path) => path.length > 0);
}
