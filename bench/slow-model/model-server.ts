/**
 * A local OpenAI-compatible chat completions server for the slow-model benchmark: it answers every
 * `POST .../chat/completions` after the delay named by the requested model (`delay-500` waits
 * 500 ms). Prints its base URL on the first stdout line (bench/runtime's `startScript` reads it).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    let model = "delay-0";
    try {
      model = (JSON.parse(Buffer.concat(chunks).toString()) as { model?: string }).model ?? model;
    } catch {
      // not JSON: answer with the default model
    }
    const delayMs = Number(/^delay-(\d+)$/.exec(model)?.[1] ?? 0);
    const answer = () =>
      response.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          id: "chatcmpl-bench",
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model,
          choices: [
            {
              index: 0,
              message: { role: "assistant", content: "Our pizzas are baked in a wood-fired oven." },
              finish_reason: "stop",
            },
          ],
          usage: { prompt_tokens: 40, completion_tokens: 10, total_tokens: 50 },
        }),
      );
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
