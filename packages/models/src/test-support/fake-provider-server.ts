import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Wire protocols the fake server speaks (Hugging Face TGI endpoints speak `openai`). */
export type FakeProtocol = "openai" | "anthropic" | "google";

/** What the fake server does with one request. */
export type FakeBehavior =
  | { reply: string; usage?: { input: number; output: number }; delayMs?: number; finishReason?: string }
  | { error: number; message?: string; retryAfterSeconds?: number }
  /** Accepts the request and never answers. */
  | { hang: true }
  /** Streams these tokens, then drops the connection (a non-streaming request is just dropped). */
  | { streamThenFail: string[] }
  /** Answers with the provider's refusal signal. */
  | { refuse: true };

/** One request the fake server received. */
export interface ReceivedRequest {
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
  raw: string;
  at: number;
  streaming: boolean;
}

/** Options of {@link startFakeProvider}. */
export interface FakeProviderOptions {
  protocol: FakeProtocol;
  /** Behaviours for the next requests, in order; then `otherwise`. */
  script?: FakeBehavior[];
  /** Behaviour once the script is used up (default: reply "ok"). */
  otherwise?: FakeBehavior | ((request: ReceivedRequest) => FakeBehavior);
  /** Strings that must never arrive (raw personal data); a request containing one is refused with 400. */
  forbidden?: string[];
  /**
   * OpenAI protocol: the vector `POST /embeddings` returns for one input (default:
   * {@link hashedEmbedding}). Embedding requests do not use `script`; `embeddingScript` (errors,
   * hangs) is used first when given.
   */
  embed?: (input: string) => number[];
  embeddingScript?: FakeBehavior[];
}

/**
 * A deterministic stand-in for an embedding model: 64 dimensions, each word (lower-cased, plural
 * "s" dropped) adding 1 to a dimension chosen by hashing it. Texts sharing words are similar.
 */
export function hashedEmbedding(input: string): number[] {
  const vector = new Array<number>(64).fill(0);
  for (const raw of input.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const word = raw.length > 3 && raw.endsWith("s") ? raw.slice(0, -1) : raw;
    let hash = 2166136261;
    for (const char of word) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 16777619);
    const index = (hash >>> 0) % 64;
    vector[index] = (vector[index] ?? 0) + 1;
  }
  return vector;
}

/** A running fake provider. */
export interface FakeProvider {
  /** Base URL to give the client (protocol-specific path prefix included where the client expects it). */
  baseUrl: string;
  /** Origin only (`http://127.0.0.1:port`). */
  origin: string;
  requests: ReceivedRequest[];
  /** Forbidden strings that did arrive (should stay empty). */
  violations: string[];
  /** Appends behaviours to the script. */
  enqueue(...behaviors: FakeBehavior[]): void;
  close(): Promise<void>;
}

/**
 * A local HTTP server speaking one provider's documented wire protocol (chat completions / messages /
 * generateContent, their SSE streams, their error bodies, 429 with Retry-After, hangs), so the
 * official clients can be exercised without a network.
 */
export async function startFakeProvider(options: FakeProviderOptions): Promise<FakeProvider> {
  const script = [...(options.script ?? [])];
  const embeddingScript = [...(options.embeddingScript ?? [])];
  const requests: ReceivedRequest[] = [];
  const violations: string[] = [];
  const sockets = new Set<import("node:net").Socket>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: Record<string, unknown> = {};
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        body = {};
      }
      const url = new URL(req.url ?? "/", "http://localhost");
      const streaming =
        body.stream === true ||
        url.pathname.includes(":streamGenerateContent") ||
        url.searchParams.get("alt") === "sse";
      const received: ReceivedRequest = {
        path: url.pathname,
        headers: req.headers,
        body,
        raw,
        at: Date.now(),
        streaming,
      };
      requests.push(received);
      const leaked = (options.forbidden ?? []).filter((value) => raw.includes(value));
      if (leaked.length > 0) {
        violations.push(...leaked);
        sendError(options.protocol, res, { error: 400, message: "raw personal data received" });
        return;
      }
      if (options.protocol === "openai" && url.pathname.endsWith("/embeddings")) {
        const scripted = embeddingScript.shift();
        if (scripted && "hang" in scripted) return;
        if (scripted && "error" in scripted) {
          sendError(options.protocol, res, scripted);
          return;
        }
        sendEmbeddings(res, body, options.embed ?? hashedEmbedding);
        return;
      }
      const next = script.shift();
      const behavior = next ??
        (typeof options.otherwise === "function" ? options.otherwise(received) : options.otherwise) ?? {
          reply: "ok",
        };
      respond(options.protocol, received, behavior, res);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const baseUrl = options.protocol === "openai" ? `${origin}/v1` : origin;
  return {
    baseUrl,
    origin,
    requests,
    violations,
    enqueue: (...behaviors) => script.push(...behaviors),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function respond(
  protocol: FakeProtocol,
  request: ReceivedRequest,
  behavior: FakeBehavior,
  res: ServerResponse,
): void {
  if ("hang" in behavior) return;
  if ("error" in behavior) {
    sendError(protocol, res, behavior);
    return;
  }
  if ("streamThenFail" in behavior) {
    if (!request.streaming) {
      res.socket?.destroy();
      return;
    }
    startSse(res);
    writeEvents(res, protocol, openingEvents(protocol, { input: 10, output: 0 }));
    const tokens = behavior.streamThenFail;
    for (const [index, token] of tokens.entries())
      writeEvents(res, protocol, deltaEvents(protocol, token, index === 0));
    // Give the client time to read the tokens, then cut the connection mid-stream.
    setTimeout(() => res.socket?.destroy(), 20);
    return;
  }
  const refuse = "refuse" in behavior;
  const text = refuse ? "" : behavior.reply;
  const usage = refuse ? { input: 5, output: 0 } : (behavior.usage ?? { input: 10, output: 5 });
  const delayMs = refuse ? 0 : (behavior.delayMs ?? 0);
  const finish = refuse ? "refuse" : (behavior.finishReason ?? "stop");
  setTimeout(() => {
    if (request.streaming) {
      startSse(res);
      const tokens = text.match(/\S+\s*|\s+/g) ?? [];
      writeEvents(res, protocol, openingEvents(protocol, usage));
      for (const [index, token] of tokens.entries())
        writeEvents(res, protocol, deltaEvents(protocol, token, index === 0));
      writeEvents(res, protocol, closingEvents(protocol, usage, finish));
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(wholeAnswer(protocol, text, usage, finish)));
  }, delayMs);
}

/** The OpenAI embeddings response for `input` (a string or a list of strings). */
function sendEmbeddings(
  res: ServerResponse,
  body: Record<string, unknown>,
  embed: (input: string) => number[],
): void {
  const inputs = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? "")];
  const tokens = inputs.reduce((sum, input) => sum + Math.ceil(input.length / 4), 0);
  res.writeHead(200, { "content-type": "application/json" });
  res.end(
    JSON.stringify({
      object: "list",
      // Reversed on purpose: clients must place vectors by `index`, not by position.
      data: inputs.map((input, index) => ({ object: "embedding", index, embedding: embed(input) })).reverse(),
      model: String(body.model ?? "fake-embedding"),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    }),
  );
}

function startSse(res: ServerResponse): void {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
}

type SseEvent = { event?: string; data: unknown };

function writeEvents(res: ServerResponse, protocol: FakeProtocol, events: SseEvent[]): void {
  for (const event of events) {
    const data = typeof event.data === "string" ? event.data : JSON.stringify(event.data);
    res.write(`${protocol === "anthropic" && event.event ? `event: ${event.event}\n` : ""}data: ${data}\n\n`);
  }
}

function openingEvents(protocol: FakeProtocol, usage: { input: number; output: number }): SseEvent[] {
  if (protocol !== "anthropic") return [];
  return [
    {
      event: "message_start",
      data: {
        type: "message_start",
        message: {
          id: "msg_fake",
          type: "message",
          role: "assistant",
          model: "fake",
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: usage.input, output_tokens: 1 },
        },
      },
    },
    {
      event: "content_block_start",
      data: { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    },
  ];
}

function deltaEvents(protocol: FakeProtocol, token: string, first: boolean): SseEvent[] {
  // Only OpenAI marks the first delta (with the role); the others open the stream in openingEvents.
  switch (protocol) {
    case "openai":
      return [
        {
          data: {
            id: "chatcmpl-fake",
            object: "chat.completion.chunk",
            created: 0,
            model: "fake",
            choices: [
              {
                index: 0,
                delta: { ...(first ? { role: "assistant" } : {}), content: token },
                finish_reason: null,
              },
            ],
          },
        },
      ];
    case "anthropic":
      return [
        {
          event: "content_block_delta",
          data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: token } },
        },
      ];
    case "google":
      return [{ data: { candidates: [{ content: { role: "model", parts: [{ text: token }] }, index: 0 }] } }];
  }
}

function closingEvents(
  protocol: FakeProtocol,
  usage: { input: number; output: number },
  finish: string,
): SseEvent[] {
  switch (protocol) {
    case "openai":
      return [
        {
          data: {
            id: "chatcmpl-fake",
            object: "chat.completion.chunk",
            created: 0,
            model: "fake",
            choices: [
              { index: 0, delta: {}, finish_reason: finish === "refuse" ? "content_filter" : finish },
            ],
          },
        },
        {
          data: {
            id: "chatcmpl-fake",
            object: "chat.completion.chunk",
            created: 0,
            model: "fake",
            choices: [],
            usage: {
              prompt_tokens: usage.input,
              completion_tokens: usage.output,
              total_tokens: usage.input + usage.output,
            },
          },
        },
        { data: "[DONE]" },
      ];
    case "anthropic":
      return [
        { event: "content_block_stop", data: { type: "content_block_stop", index: 0 } },
        {
          event: "message_delta",
          data: {
            type: "message_delta",
            delta: { stop_reason: finish === "refuse" ? "refusal" : "end_turn", stop_sequence: null },
            usage: { output_tokens: usage.output },
          },
        },
        { event: "message_stop", data: { type: "message_stop" } },
      ];
    case "google":
      return [
        {
          data: {
            candidates: [
              {
                content: { role: "model", parts: [{ text: "" }] },
                finishReason: finish === "refuse" ? "SAFETY" : "STOP",
                index: 0,
              },
            ],
            usageMetadata: {
              promptTokenCount: usage.input,
              candidatesTokenCount: usage.output,
              totalTokenCount: usage.input + usage.output,
            },
          },
        },
      ];
  }
}

function wholeAnswer(
  protocol: FakeProtocol,
  text: string,
  usage: { input: number; output: number },
  finish: string,
) {
  switch (protocol) {
    case "openai":
      return {
        id: "chatcmpl-fake",
        object: "chat.completion",
        created: 0,
        model: "fake",
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: text, refusal: null },
            finish_reason: finish === "refuse" ? "content_filter" : finish,
          },
        ],
        usage: {
          prompt_tokens: usage.input,
          completion_tokens: usage.output,
          total_tokens: usage.input + usage.output,
        },
      };
    case "anthropic":
      return {
        id: "msg_fake",
        type: "message",
        role: "assistant",
        model: "fake",
        content: text ? [{ type: "text", text }] : [],
        stop_reason: finish === "refuse" ? "refusal" : "end_turn",
        stop_sequence: null,
        usage: { input_tokens: usage.input, output_tokens: usage.output },
      };
    case "google":
      return {
        candidates: [
          {
            content: { role: "model", parts: [{ text }] },
            finishReason: finish === "refuse" ? "SAFETY" : "STOP",
            index: 0,
          },
        ],
        usageMetadata: {
          promptTokenCount: usage.input,
          candidatesTokenCount: usage.output,
          totalTokenCount: usage.input + usage.output,
        },
      };
  }
}

function sendError(
  protocol: FakeProtocol,
  res: ServerResponse,
  behavior: { error: number; message?: string; retryAfterSeconds?: number },
): void {
  const status = behavior.error;
  const message = behavior.message ?? (status === 429 ? "Rate limit reached" : "The server had an error");
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (behavior.retryAfterSeconds !== undefined && protocol !== "google") {
    headers["retry-after"] = String(behavior.retryAfterSeconds);
  }
  let body: unknown;
  switch (protocol) {
    case "openai":
      body = {
        error: {
          message,
          type:
            status === 429 ? "rate_limit_exceeded" : status >= 500 ? "server_error" : "invalid_request_error",
          param: null,
          code: null,
        },
      };
      break;
    case "anthropic":
      body = {
        type: "error",
        error: {
          type:
            status === 429
              ? "rate_limit_error"
              : status === 529
                ? "overloaded_error"
                : status >= 500
                  ? "api_error"
                  : "invalid_request_error",
          message,
        },
      };
      break;
    case "google":
      body = {
        error: {
          code: status,
          message,
          status: status === 429 ? "RESOURCE_EXHAUSTED" : status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT",
          ...(behavior.retryAfterSeconds !== undefined
            ? {
                details: [
                  {
                    "@type": "type.googleapis.com/google.rpc.RetryInfo",
                    retryDelay: `${behavior.retryAfterSeconds}s`,
                  },
                ],
              }
            : {}),
        },
      };
      break;
  }
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
}
