import { z } from "zod";
import type { HttpPort, HttpRequest, HttpResponse } from "../ports/http";

/** A canned response for requests whose method and URL match. */
export const httpFixtureSchema = z.object({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]).optional(),
  /** Exact URL, or a prefix when it ends with `*`. */
  url: z.string().min(1),
  status: z.number().int().min(100).max(599).default(200),
  headers: z.record(z.string(), z.string()).default({}),
  /** A string is sent as is; anything else as JSON. */
  body: z.unknown().optional(),
  /** Simulated latency. */
  delayMs: z.number().int().nonnegative().default(0),
});
/** A canned HTTP response (as written, before defaults). */
export type HttpFixture = z.input<typeof httpFixtureSchema>;

/** The in-memory HTTP port, with the requests it received. */
export interface MemoryHttp extends HttpPort {
  readonly requests: HttpRequest[];
}

function matches(fixture: z.infer<typeof httpFixtureSchema>, request: HttpRequest): boolean {
  if (fixture.method && fixture.method !== request.method) return false;
  return fixture.url.endsWith("*")
    ? request.url.startsWith(fixture.url.slice(0, -1))
    : fixture.url === request.url;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ms === 0) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/**
 * An HTTP port that answers from fixtures and never touches the network, for `parley chat`
 * and tests. The first matching fixture answers; no match is a 404 that says so.
 */
export function createMemoryHttp(fixtures: readonly HttpFixture[] = []): MemoryHttp {
  const parsed = fixtures.map((fixture) => httpFixtureSchema.parse(fixture));
  const requests: HttpRequest[] = [];
  return {
    requests,
    async request(request, { signal }): Promise<HttpResponse> {
      signal.throwIfAborted();
      requests.push(request);
      const fixture = parsed.find((candidate) => matches(candidate, request));
      if (!fixture) {
        return {
          status: 404,
          headers: { "content-type": "text/plain" },
          body: `no fixture for ${request.method} ${request.url} (offline HTTP)`,
        };
      }
      await sleep(fixture.delayMs, signal);
      const isText = typeof fixture.body === "string";
      return {
        status: fixture.status,
        headers: { "content-type": isText ? "text/plain" : "application/json", ...fixture.headers },
        body:
          fixture.body === undefined ? "" : isText ? (fixture.body as string) : JSON.stringify(fixture.body),
      };
    },
  };
}
