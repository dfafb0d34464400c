/**
 * A minimal local server for the widget benchmark: serves widget.js and a plain page that embeds it,
 * and answers the conversation API instantly (the first SSE token is written as soon as the request
 * body is read), so what the browser measures is the widget's own cost, not a bot's.
 */
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ensureWidgetBuilt } from "@parley/widget/server";

export async function startStreamServer() {
  const script = await readFile(await ensureWidgetBuilt());
  let origin = "";
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", origin);
    for await (const _chunk of request) {
      // Drain the body before answering.
    }
    if (url.pathname === "/widget.js") {
      response.writeHead(200, { "content-type": "text/javascript", "cache-control": "no-store" });
      return response.end(script);
    }
    if (url.pathname === "/page") {
      response.writeHead(200, { "content-type": "text/html" });
      return response.end(
        "<!doctype html><html><head><title>bench</title></head><body><h1>Widget bench</h1></body></html>",
      );
    }
    if (url.pathname.endsWith("/config")) {
      response.writeHead(404, { "content-type": "application/problem+json" });
      return response.end(
        JSON.stringify({ type: "about:blank", title: "none", status: 404, code: "not-found" }),
      );
    }
    if (url.pathname.endsWith("/conversations") && request.method === "POST") {
      response.writeHead(201, { "content-type": "application/json" });
      return response.end(
        JSON.stringify({
          conversationId: "bench",
          status: "waiting",
          messages: [
            { type: "text", nodeId: "hi", text: "Ask me anything.", format: "plain", source: "flow" },
          ],
        }),
      );
    }
    if (url.pathname.endsWith("/messages")) {
      response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
      response.write(
        `event: token\ndata: ${JSON.stringify({ nodeId: "llm", streamId: `s${Date.now()}`, token: "First" })}\n\n`,
      );
      await new Promise((resolve) => setTimeout(resolve, 30));
      const final = {
        type: "text",
        nodeId: "llm",
        text: "First token, then the rest.",
        format: "plain",
        source: "llm",
      };
      response.write(`event: message\ndata: ${JSON.stringify(final)}\n\n`);
      response.write(`event: done\ndata: ${JSON.stringify({ messages: [final], status: "waiting" })}\n\n`);
      return response.end();
    }
    response.writeHead(404);
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
