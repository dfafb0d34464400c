import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the test server saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: unknown;
}

/** Handles one request; `index` counts requests to the same method+path, from 0. */
export type ScriptedHandler = (request: SeenRequest, response: ServerResponse, index: number) => void;

/**
 * A real HTTP server on an ephemeral port whose answers each test scripts, for exercising the
 * widget client over actual sockets (SSE framing, cut streams, retries, status codes).
 */
export async function startScriptedServer(handler: ScriptedHandler) {
  const seen: SeenRequest[] = [];
  const counts = new Map<string, number>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const request: SeenRequest = {
      method: req.method ?? "GET",
      url: req.url ?? "/",
      headers: req.headers,
      body: text ? JSON.parse(text) : undefined,
    };
    seen.push(request);
    const key = `${request.method} ${request.url}`;
    const index = counts.get(key) ?? 0;
    counts.set(key, index + 1);
    handler(request, res, index);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes one SSE event. */
export function sse(response: ServerResponse, event: string, data: unknown): void {
  response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** Sends a JSON body. */
export function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  type = "application/json",
): void {
  response.writeHead(status, { "content-type": type });
  response.end(JSON.stringify(body));
}
