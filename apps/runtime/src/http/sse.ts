import type { StreamEvent } from "@parley/contract";
import type { FastifyReply } from "fastify";

/**
 * A server-sent event stream on a hijacked reply. Headers go out with the first event, so an
 * error before anything was streamed can still be an ordinary problem response.
 */
export class SseStream {
  private started = false;
  private closed = false;

  constructor(private readonly reply: FastifyReply) {
    reply.raw.on("close", () => {
      this.closed = true;
    });
  }

  /** Whether the stream's headers are out (errors must then be sent as `error` events). */
  get isStarted(): boolean {
    return this.started;
  }

  /** Sends one event (starting the stream if needed). Events after the client left are dropped. */
  send(event: StreamEvent): void {
    if (this.closed) return;
    if (!this.started) this.start();
    this.reply.raw.write(`event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
  }

  /** Ends the stream. */
  end(): void {
    if (!this.started) this.start();
    if (!this.reply.raw.writableEnded) this.reply.raw.end();
  }

  private start(): void {
    this.started = true;
    this.reply.hijack();
    const headers: Record<string, string> = {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    };
    // Keep CORS and request-id headers set earlier by hooks.
    for (const [name, value] of Object.entries(this.reply.getHeaders())) {
      if (value !== undefined && !(name in headers)) headers[name] = String(value);
    }
    this.reply.raw.writeHead(200, headers);
  }
}

/** Whether the client asked for a stream. */
export const wantsEventStream = (accept: string | undefined): boolean =>
  accept?.includes("text/event-stream") === true;
