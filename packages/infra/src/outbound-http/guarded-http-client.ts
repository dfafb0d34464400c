import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { z } from "zod";
import {
  allowedHostEntrySchema,
  createDestinationCheck,
  parseOutboundUrl,
  portOf,
  type Resolver,
} from "./destination-policy";
import { createCappedFetch, createGuardedFetch, type GuardedFetch } from "./guarded-fetch";
import { OutboundHttpError } from "./outbound-http-error";
import { redirectHeaders, transportSafeHeaders } from "./request-headers";
import {
  DEFAULT_MAX_DOWNLOAD_BYTES,
  DEFAULT_MAX_RESPONSE_BYTES,
  declaresMoreThan,
  MAX_DOWNLOAD_BYTES_ENV,
  MAX_RESPONSE_BYTES_ENV,
  responseTooLarge,
} from "./response-limit";

export { OutboundHttpError, type OutboundHttpErrorCode } from "./outbound-http-error";

/** Options of {@link createGuardedHttpClient}. */
export const guardedHttpClientOptionsSchema = z.object({
  /** Allow loopback destinations. Only tests and local development should set this. */
  allowLoopback: z.boolean().default(false),
  /**
   * The operator's allowlist: destinations that may be private or loopback (a self-hosted model
   * server, an intranet API): `host`, `host:port`, `[ipv6]:port`, or address ranges (`10.0.0.0/8`).
   * Link-local and metadata addresses stay refused unless a range names them. Default: none. Apps
   * pass `PARLEY_OUTBOUND_ALLOWED_HOSTS` from their validated environment (`createCoreDeps`).
   */
  allowedHosts: z.array(allowedHostEntrySchema).default([]),
  /** Overall time limit of one request (all redirects included), in ms. */
  timeoutMs: z.number().int().positive().default(10_000),
  /**
   * Largest response body read, in bytes, by {@link GuardedHttpClient.request} and by
   * {@link GuardedHttpClient.fetch} (streamed model answers count in total); a larger one fails
   * with `RESPONSE_TOO_LARGE` ("response from <host> exceeded N bytes"). Apps pass
   * `PARLEY_OUTBOUND_MAX_RESPONSE_BYTES`.
   */
  maxResponseBytes: z.number().int().positive().default(DEFAULT_MAX_RESPONSE_BYTES),
  /**
   * The most a call may raise its own limit to (`maxResponseBytes` per call: document downloads
   * such as the knowledge base's URL import). Apps pass `PARLEY_OUTBOUND_MAX_DOWNLOAD_BYTES`.
   */
  maxDownloadBytes: z.number().int().positive().default(DEFAULT_MAX_DOWNLOAD_BYTES),
  /** Redirects followed (each re-checked); more fail the request. */
  maxRedirects: z.number().int().min(0).max(10).default(5),
  /** Sent when the caller gives no User-Agent. */
  userAgent: z.string().default("Parley/1.0 (+outbound)"),
  /**
   * {@link GuardedHttpClient.fetch}: longest silence while waiting for headers or between body
   * chunks (a model may think before its first token), in ms. Its connections must open within
   * `timeoutMs`; the overall duration is the caller's (its `signal`).
   */
  fetchIdleTimeoutMs: z.number().int().positive().default(300_000),
});

/** Options of {@link createGuardedHttpClient} (as written, before defaults). */
export type GuardedHttpClientOptions = z.input<typeof guardedHttpClientOptionsSchema> & {
  /** Name resolution (tests inject one to simulate DNS answers); defaults to the system resolver. */
  resolve?: Resolver;
};

/** One outbound request. */
export interface OutboundRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

/** What came back. Non-2xx statuses are normal responses; only transport problems throw. */
export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The URL that answered (after redirects). */
  url: string;
}

/** What came back, body as raw bytes (binary documents: PDF, images). */
export interface OutboundBytesResponse extends Omit<OutboundResponse, "body"> {
  body: Uint8Array;
}

/** Per-call options of {@link GuardedHttpClient}. */
export interface OutboundCallOptions {
  signal?: AbortSignal;
  /**
   * Largest body read for this call, in bytes (default: the client's `maxResponseBytes`). Lets a
   * caller that expects big documents (the knowledge base's URL import) raise the limit for its
   * own calls only, never above the client's `maxDownloadBytes`; every other guard stays.
   */
  maxResponseBytes?: number;
  /**
   * Headers that carry credentials beyond the standard ones (an API key header): dropped, like
   * `Authorization`, `Cookie` and `Proxy-Authorization`, when a redirect leaves the origin.
   */
  credentialHeaders?: readonly string[];
  /**
   * `same-origin`: the request carries credentials, so a redirect to another origin is not followed
   * (the 3xx comes back as the response) and the credentials never leave the origin. Default `any`.
   */
  redirects?: "any" | "same-origin";
}

/** The one HTTP client for every outbound call made on a tenant's behalf. */
export interface GuardedHttpClient {
  /**
   * Sends `request`: resolves the host, refuses it unless every address is public (fail closed),
   * connects to exactly the checked address (no second lookup), and re-checks every redirect.
   * @throws OutboundHttpError
   */
  request(request: OutboundRequest, options?: OutboundCallOptions): Promise<OutboundResponse>;
  /**
   * {@link request} with the body returned as bytes, undecoded, under the same guards (address
   * checks and pinning, redirect re-checks, time limit, size limit).
   * @throws OutboundHttpError
   */
  requestBytes(request: OutboundRequest, options?: OutboundCallOptions): Promise<OutboundBytesResponse>;
  /**
   * A WHATWG `fetch` under the same address rules, pinning and redirect re-checks, for clients that
   * take a custom fetch (the model providers' SDKs): streamed bodies, the caller's signal, bodies
   * capped at `maxResponseBytes` (a stream in total). Refusals reject with {@link OutboundHttpError}.
   */
  readonly fetch: GuardedFetch;
  /**
   * The platform's own `fetch` with only the response cap (`maxResponseBytes`), for endpoints the
   * operator configured (environment model providers): no address rules, bounded memory.
   */
  readonly operatorFetch: GuardedFetch;
  /**
   * Checks that `url` may be contacted (valid http(s) URL, every resolved address allowed) without
   * contacting it: for validating a URL when it is saved (it is checked again on every call).
   * @throws OutboundHttpError `INVALID_URL`, `BLOCKED_DESTINATION` or `DNS_FAILED`
   */
  checkUrl(url: string): Promise<void>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Builds the guarded, SSRF-safe outbound HTTP client (see {@link GuardedHttpClient.request}). */
export function createGuardedHttpClient(options: GuardedHttpClientOptions = {}): GuardedHttpClient {
  const config = guardedHttpClientOptionsSchema.parse(options);
  const check = createDestinationCheck({
    allowLoopback: config.allowLoopback,
    allowedHosts: config.allowedHosts,
    ...(options.resolve ? { resolve: options.resolve } : {}),
  });
  let guardedFetch: GuardedFetch | undefined;
  const operatorFetch = createCappedFetch(config.maxResponseBytes);

  /** Resolves the URL's host and returns the address to pin; refuses when any answer is not allowed. */
  async function pinnedAddress(url: URL): Promise<string> {
    const [address] = await check(url.hostname, portOf(url));
    return address as string;
  }

  /** Sends with redirects followed (each re-checked); the body stays bytes. */
  async function requestBytes(
    request: OutboundRequest,
    callOptions: OutboundCallOptions = {},
  ): Promise<OutboundBytesResponse> {
    const timeout = AbortSignal.timeout(config.timeoutMs);
    const signal = callOptions.signal ? AbortSignal.any([callOptions.signal, timeout]) : timeout;
    const asked = z.number().int().positive().optional().parse(callOptions.maxResponseBytes);
    const maxBytes = asked === undefined ? config.maxResponseBytes : Math.min(asked, config.maxDownloadBytes);
    // Which setting the message names: the operator's (response or download cap) or none (the caller's).
    const limitName =
      asked === undefined
        ? MAX_RESPONSE_BYTES_ENV
        : asked > config.maxDownloadBytes
          ? MAX_DOWNLOAD_BYTES_ENV
          : undefined;
    let current = request;
    for (let redirects = 0; ; redirects += 1) {
      const url = parseOutboundUrl(current.url);
      const address = await pinnedAddress(url);
      const response = await send(url, address, current, signal, config, maxBytes, limitName);
      if (!REDIRECTS.has(response.status) || !response.headers.location) return response;
      if (redirects >= config.maxRedirects) {
        throw new OutboundHttpError("TOO_MANY_REDIRECTS", `more than ${config.maxRedirects} redirects`);
      }
      const target = new URL(response.headers.location, url);
      const crossOrigin = target.origin !== url.origin;
      if (callOptions.redirects === "same-origin" && crossOrigin) return response;
      const next = target.toString();
      // 303 (and 301/302 after POST, as browsers do) continue as GET without a body.
      const keepMethod = response.status === 307 || response.status === 308 || current.method === "GET";
      const headers = redirectHeaders(current.headers, {
        crossOrigin,
        keepBody: keepMethod,
        credentialHeaders: callOptions.credentialHeaders ?? [],
      });
      current = keepMethod ? { ...current, url: next, headers } : { method: "GET", url: next, headers };
    }
  }

  return {
    async request(request, callOptions) {
      const response = await requestBytes(request, callOptions);
      const { body } = response;
      return {
        ...response,
        body: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8"),
      };
    },
    requestBytes,
    // Built on first use: its connection pool is only needed by callers that stream through it.
    get fetch(): GuardedFetch {
      guardedFetch ??= createGuardedFetch({
        check,
        connectTimeoutMs: config.timeoutMs,
        idleTimeoutMs: config.fetchIdleTimeoutMs,
        maxResponseBytes: config.maxResponseBytes,
        maxRedirects: config.maxRedirects,
      });
      return guardedFetch;
    },
    operatorFetch,
    async checkUrl(raw) {
      const url = parseOutboundUrl(raw);
      await check(url.hostname, portOf(url));
    },
  };

  function send(
    url: URL,
    address: string,
    request: OutboundRequest,
    signal: AbortSignal,
    settings: z.infer<typeof guardedHttpClientOptionsSchema>,
    maxBytes: number,
    limitName: string | undefined,
  ): Promise<OutboundBytesResponse> {
    const family = isIP(address);
    // The connection goes to the address checked above, whatever DNS says now (no rebinding).
    const lookup: LookupFunction = (_host, lookupOptions, callback) => {
      if ((lookupOptions as { all?: boolean }).all) {
        (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
          { address, family },
        ]);
      } else callback(null, address, family);
    };
    const transport = url.protocol === "https:" ? https : http;
    const headers: Record<string, string> = {
      "user-agent": settings.userAgent,
      ...transportSafeHeaders(request.headers),
    };
    if (request.body !== undefined) headers["content-length"] = String(Buffer.byteLength(request.body));
    const tooLarge = () => responseTooLarge(url.host, maxBytes, limitName);
    return new Promise<OutboundBytesResponse>((resolvePromise, reject) => {
      if (signal.aborted) return reject(abortError(signal));
      const outgoing = transport.request(
        {
          protocol: url.protocol,
          hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          method: request.method,
          headers,
          lookup,
          signal,
          agent: false,
        },
        (incoming) => {
          // A declared length over the limit fails before any of the body is read.
          if (declaresMoreThan(incoming.headers["content-length"], maxBytes)) {
            incoming.destroy();
            reject(tooLarge());
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          incoming.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              incoming.destroy();
              reject(tooLarge());
              return;
            }
            chunks.push(chunk);
          });
          incoming.on("error", (error) => reject(transportError(error, signal, url)));
          incoming.on("end", () => {
            const flat: Record<string, string> = {};
            for (const [name, value] of Object.entries(incoming.headers)) {
              if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
            }
            resolvePromise({
              status: incoming.statusCode ?? 0,
              headers: flat,
              body: Buffer.concat(chunks),
              url: url.toString(),
            });
          });
        },
      );
      outgoing.on("error", (error) => reject(transportError(error, signal, url)));
      if (request.body !== undefined) outgoing.write(request.body);
      outgoing.end();
    });
  }
}

function abortError(signal: AbortSignal): OutboundHttpError {
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name === "TimeoutError"
    ? new OutboundHttpError("TIMEOUT", "the request timed out")
    : new OutboundHttpError("ABORTED", "the request was aborted");
}

function transportError(error: unknown, signal: AbortSignal, url: URL): OutboundHttpError {
  if (error instanceof OutboundHttpError) return error;
  if (signal.aborted) return abortError(signal);
  return new OutboundHttpError(
    "NETWORK_ERROR",
    `request to ${url.host} failed: ${(error as Error).message}`,
    {
      cause: error,
    },
  );
}
