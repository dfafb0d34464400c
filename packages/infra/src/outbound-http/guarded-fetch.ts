import { isIP } from "node:net";
import { pipeline, Readable, Transform } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { Agent, buildConnector, Headers as FetchHeaders, fetch as undiciFetch } from "undici";
import type { DestinationCheck } from "./destination-policy";
import { parseOutboundUrl } from "./destination-policy";
import { OutboundHttpError } from "./outbound-http-error";
import { cappedResponse, declaresMoreThan, MAX_RESPONSE_BYTES_ENV, responseTooLarge } from "./response-limit";

/**
 * A WHATWG `fetch` under the platform's SSRF rules, for clients that take a custom fetch (the model
 * providers' official SDKs). Bodies stream (SSE works); the caller's `signal` aborts.
 */
export type GuardedFetch = typeof globalThis.fetch;

/** Options of {@link createGuardedFetch}. */
export interface GuardedFetchOptions {
  /** Checks every destination before a connection is opened and says which addresses it may use. */
  check: DestinationCheck;
  /** Time allowed to open a connection (TCP + TLS), in ms. */
  connectTimeoutMs: number;
  /** Longest silence allowed while waiting for response headers or between body chunks, in ms. */
  idleTimeoutMs: number;
  /**
   * Largest response body, in bytes, streamed or not: a declared `Content-Length` over it fails the
   * call, and a body (an SSE stream included) errors at the first byte over it.
   */
  maxResponseBytes: number;
  /** Redirects followed (each to a new origin re-checked); more fail the call. */
  maxRedirects: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Whether a request header carries a credential: the standard ones (`Authorization`, `Cookie`,
 * `Proxy-Authorization`) and the API-key headers model providers use (`x-api-key`, `api-key`,
 * `x-goog-api-key`, any `*-token`, `*-secret`...). Dropped when a redirect leaves the origin.
 */
export function isCredentialHeader(name: string): boolean {
  return /(^|-)(authorization|cookie|api-?key|key|token|secret|password|session|signature)($|-)/i.test(name);
}

type FetchInit = NonNullable<Parameters<typeof undiciFetch>[1]>;

/**
 * The request a redirect leads to (as fetch does it, plus): to another origin without any
 * credential header ({@link isCredentialHeader}); 303, and 301/302 after a POST, continue as a GET
 * without a body; 307/308 resend the body, which must not be a stream (it was consumed).
 */
function redirectedInit(init: FetchInit, status: number, crossOrigin: boolean): FetchInit {
  const headers = new FetchHeaders(init.headers);
  if (crossOrigin) {
    for (const name of [...headers.keys()]) if (isCredentialHeader(name)) headers.delete(name);
  }
  const method = (init.method ?? "GET").toUpperCase();
  if (status === 303 || ((status === 301 || status === 302) && method === "POST")) {
    for (const name of ["content-type", "content-length", "content-encoding"]) headers.delete(name);
    const { body: _body, duplex: _duplex, ...rest } = init as FetchInit & { duplex?: string };
    return { ...rest, method: method === "HEAD" ? "HEAD" : "GET", headers };
  }
  if (init.body instanceof ReadableStream) {
    throw new OutboundHttpError("NETWORK_ERROR", "a streamed request body cannot be resent to a redirect");
  }
  return { ...init, headers };
}

type ConnectOptions = Parameters<ReturnType<typeof buildConnector>>[0];
type ConnectCallback = Parameters<ReturnType<typeof buildConnector>>[1];

/**
 * The connector of the guarded dispatcher: every new connection (first request to an origin, every
 * redirect to another origin, reconnects) checks the destination first, then connects to one of the
 * checked addresses itself, so no second DNS lookup can swap the address (no rebinding). TLS still
 * verifies the certificate against the host name (SNI), not the address.
 */
function guardedConnector(options: GuardedFetchOptions) {
  const connect = buildConnector({ timeout: options.connectTimeoutMs });
  return (target: ConnectOptions, callback: ConnectCallback) => {
    const hostname = target.hostname.startsWith("[") ? target.hostname.slice(1, -1) : target.hostname;
    const port = Number(target.port) || (target.protocol === "https:" ? 443 : 80);
    options.check(hostname, port).then(
      (addresses) => {
        const servername = target.servername || (isIP(hostname) ? undefined : hostname);
        // Tries the checked addresses in the resolver's order (an IPv6 answer may be unreachable).
        const attempt = (index: number) => {
          connect(
            {
              ...target,
              hostname: addresses[index] as string,
              ...(servername ? { servername } : {}),
            },
            ((error: Error | null, socket: unknown) => {
              if (error && index + 1 < addresses.length) attempt(index + 1);
              else (callback as (e: Error | null, s: unknown) => void)(error, socket);
            }) as ConnectCallback,
          );
        };
        attempt(0);
      },
      (error: unknown) => (callback as (e: Error, s: null) => void)(error as Error, null),
    );
  };
}

/** Statuses whose responses carry no body (a Response cannot be built with one). */
const BODILESS = new Set([101, 204, 205, 304]);

/** The request headers as a plain record (what `Dispatcher.request` takes). */
function headerRecord(headers: FetchInit["headers"]): Record<string, string> {
  const record: Record<string, string> = {};
  if (!headers) return record;
  const source =
    headers instanceof FetchHeaders || headers instanceof globalThis.Headers
      ? headers
      : new FetchHeaders(headers as ConstructorParameters<typeof FetchHeaders>[0]);
  // Iterated as pairs: the DOM and undici typings of `forEach` disagree under the studio's DOM lib.
  for (const [name, value] of source as Iterable<[string, string]>) record[name] = value;
  return record;
}

/** The response headers as a `Headers` (repeated headers appended). */
function responseHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new globalThis.Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.append(name, value);
  }
  return headers;
}

/** Drops a body not (or no longer) read: undici errors a destroyed body as aborted, which is expected here. */
function discard(body: Readable): void {
  body.on("error", () => {});
  body.destroy();
}

/** The decoder of a `Content-Encoding` (fetch decodes these too), or null for identity / unknown. */
function decoderOf(encoding: string | undefined) {
  switch (encoding?.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return createGunzip();
    case "deflate":
      return createInflate();
    case "br":
      return createBrotliDecompress();
    default:
      return null;
  }
}

/**
 * One request through `Dispatcher.request` (undici's own API: no WHATWG Request, streams or
 * transferables, which cost a model call more CPU than the rest of its handling), answered as a
 * `Response` for the SDKs. The body is decoded as fetch would (gzip, deflate, br) and capped at
 * `maxBytes` decoded bytes: a declared oversize length is refused at the headers; server-sent events
 * stream chunk by chunk (counted); anything else is read whole (counted) before the Response is
 * made. Null when the request body is not a string or bytes (streams, forms: fetch sends those).
 */
async function requestDirect(
  agent: Agent,
  url: URL,
  init: FetchInit,
  maxBytes: number,
): Promise<Response | null> {
  const body = init.body;
  if (body !== undefined && body !== null && typeof body !== "string" && !(body instanceof Uint8Array)) {
    return null;
  }
  const answer = await agent.request({
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    method: (init.method ?? "GET").toUpperCase() as "GET",
    headers: headerRecord(init.headers),
    body: body ?? null,
    ...(init.signal ? { signal: init.signal } : {}),
  });
  const headers = responseHeaders(answer.headers);
  const status = answer.statusCode;
  const made = (content: ConstructorParameters<typeof globalThis.Response>[0]) => {
    const response = new globalThis.Response(content, { status, headers });
    // The SDKs read these (fetch's own Response has them).
    Object.defineProperty(response, "url", { value: url.toString() });
    return response;
  };
  if (BODILESS.has(status) || init.method?.toUpperCase() === "HEAD") {
    discard(answer.body);
    return made(null);
  }
  if (declaresMoreThan(headers.get("content-length"), maxBytes)) {
    discard(answer.body);
    throw responseTooLarge(url.host, maxBytes, MAX_RESPONSE_BYTES_ENV);
  }
  const decoder = decoderOf(headers.get("content-encoding") ?? undefined);
  if (decoder) {
    // The decoded body has no declared length or encoding any more.
    headers.delete("content-encoding");
    headers.delete("content-length");
  }
  // pipeline: an error or an early end on either side destroys the other (the socket is let go).
  const source: Readable = decoder ? pipeline(answer.body, decoder, () => {}) : answer.body;
  let received = 0;
  const tooLarge = () => responseTooLarge(url.host, maxBytes, MAX_RESPONSE_BYTES_ENV);
  if (/^text\/event-stream/i.test(headers.get("content-type") ?? "")) {
    // Counted before the chunk is passed on: the reader never gets a byte over the limit.
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.byteLength;
        if (received <= maxBytes) return done(null, chunk);
        done(tooLarge());
      },
    });
    // A reader that cancels, or the counter refusing, ends the request too.
    const counted = pipeline(source, counter, () => {});
    return made(Readable.toWeb(counted) as ReadableStream<Uint8Array>);
  }
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      received += chunk.byteLength;
      if (received > maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (error) {
    discard(answer.body);
    if (source !== answer.body) discard(source);
    // As with fetch, the response itself arrives and reading its body fails.
    if (error instanceof OutboundHttpError) {
      return made(new ReadableStream({ start: (controller) => controller.error(error) }));
    }
    throw error;
  }
  const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  // Chunks read from a socket are backed by plain ArrayBuffers (never shared memory).
  return made(bytes as Uint8Array<ArrayBuffer>);
}

/** The refusal inside a fetch failure (`TypeError: fetch failed` with the guard's error as cause). */
function refusalIn(error: unknown): OutboundHttpError | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    if (current instanceof OutboundHttpError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Builds a {@link GuardedFetch}: a fetch over its own connection pool (undici) whose connections
 * only open to checked addresses. Requests with a string or byte body (every SDK call) go through
 * undici's `Dispatcher.request` (see requestDirect); streamed and form bodies through undici's fetch. Redirects are followed here (not by fetch) so that a redirect to
 * another origin drops every credential header, the providers' API-key headers included (fetch
 * drops only `Authorization` and `Cookie`); each new origin is checked again. Bodies are capped at `maxResponseBytes` (see {@link cappedResponse}): the SDKs read whole
 * replies into memory, so the cap is what keeps a hostile endpoint from exhausting the process.
 */
export function createGuardedFetch(options: GuardedFetchOptions): GuardedFetch {
  let agent: Agent | undefined;
  const dispatcher = () => {
    agent ??= new Agent({
      connect: guardedConnector(options),
      headersTimeout: options.idleTimeoutMs,
      bodyTimeout: options.idleTimeoutMs,
    });
    return agent;
  };
  const guarded = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = typeof input === "string" || input instanceof URL ? undefined : input;
    const url = parseOutboundUrl(request ? request.url : String(input));
    const fromRequest = request
      ? {
          method: request.method,
          headers: request.headers,
          signal: request.signal,
          ...(request.body ? { body: request.body, duplex: "half" } : {}),
        }
      : {};
    let current = { ...fromRequest, ...(init as object), dispatcher: dispatcher() } as FetchInit;
    // The caller's own choice ("manual", "error") is honoured as fetch would.
    const follow = (current.redirect ?? "follow") === "follow";
    if (follow) current.redirect = "manual";
    try {
      let target = url;
      for (let redirects = 0; ; redirects += 1) {
        const direct = await requestDirect(dispatcher(), target, current, options.maxResponseBytes);
        const response = direct ?? ((await undiciFetch(target, current)) as unknown as Response);
        const location = response.headers.get("location");
        if (!follow || !REDIRECTS.has(response.status) || location === null) {
          return direct ?? (await cappedResponse(response, options.maxResponseBytes, target.host));
        }
        await response.body?.cancel().catch(() => {});
        if (redirects >= options.maxRedirects) {
          throw new OutboundHttpError("TOO_MANY_REDIRECTS", `more than ${options.maxRedirects} redirects`);
        }
        const next = parseOutboundUrl(new URL(location, target).toString());
        current = redirectedInit(current, response.status, next.origin !== target.origin);
        target = next;
      }
    } catch (error) {
      // Callers (and people reading logs) get the guard's reason, not "fetch failed".
      throw refusalIn(error) ?? error;
    }
  };
  return guarded as GuardedFetch;
}

/**
 * `fetch` (default: the platform's) with response bodies capped at `maxResponseBytes` and nothing
 * else: for endpoints the operator configured (environment model providers), which skip the
 * address rules but must not be able to exhaust the process's memory either.
 */
export function createCappedFetch(
  maxResponseBytes: number,
  inner: typeof globalThis.fetch = globalThis.fetch,
): GuardedFetch {
  const capped = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const response = await inner(input, init);
    const target = response.url || (input instanceof Request ? input.url : String(input));
    return cappedResponse(response, maxResponseBytes, new URL(target).host);
  };
  return capped as GuardedFetch;
}
