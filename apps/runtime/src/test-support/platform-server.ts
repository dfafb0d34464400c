import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { closeServer, listenOnLoopback } from "./loopback-server";

/** One request a fake platform received, body decoded (JSON, or form fields with JSON values parsed). */
export interface PlatformCall {
  method: string;
  /** Path without the query, e.g. `/api/chat.postMessage` or `/bot123:abc/sendMessage`. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  receivedAtMs: number;
}

/** What the fake platform answers one call. */
export interface PlatformAnswer {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
  /** Bytes sent as they are instead of `body` as JSON (a file download). */
  raw?: Buffer;
}

/** A local HTTP server speaking a platform's API for tests: it records calls and answers as told. */
export interface PlatformServer {
  url: string;
  calls: PlatformCall[];
  /** Calls whose path ends with `method` (e.g. `chat.postMessage`, `sendMessage`). */
  callsTo(method: string): PlatformCall[];
  /** Answers the next calls to `method` with these, in order, before the default answer resumes. */
  script(method: string, answers: PlatformAnswer[]): void;
  close(): Promise<void>;
}

function decode(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes("application/x-www-form-urlencoded")) {
    const fields: Record<string, unknown> = {};
    for (const [name, value] of new URLSearchParams(raw)) {
      try {
        fields[name] = /^[[{]/.test(value) ? JSON.parse(value) : value;
      } catch {
        fields[name] = value;
      }
    }
    return fields;
  }
  return JSON.parse(raw) as Record<string, unknown>;
}

/** Starts a fake platform; `answer` gives the default answer of each call. */
export async function startPlatformServer(
  answer: (call: PlatformCall) => PlatformAnswer,
): Promise<PlatformServer> {
  const calls: PlatformCall[] = [];
  const scripted = new Map<string, PlatformAnswer[]>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const call: PlatformCall = {
        method: request.method ?? "GET",
        path: (request.url ?? "/").split("?")[0] ?? "/",
        headers: request.headers,
        body: decode(Buffer.concat(chunks).toString("utf8"), request.headers["content-type"]),
        receivedAtMs: Date.now(),
      };
      calls.push(call);
      const method = call.path.split("/").at(-1) ?? "";
      const queue = scripted.get(method);
      const reply = queue?.shift() ?? answer(call);
      if (reply.raw) {
        response.writeHead(reply.status ?? 200, { ...reply.headers }).end(reply.raw);
        return;
      }
      response
        .writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers })
        .end(JSON.stringify(reply.body));
    });
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    calls,
    callsTo: (method) => calls.filter((call) => call.path.endsWith(`/${method}`)),
    script: (method, answers) => scripted.set(method, [...(scripted.get(method) ?? []), ...answers]),
    close: () => closeServer(server),
  };
}
