/** One raw server-sent event: its `event:` name (default `message`) and its joined `data:` lines. */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

/**
 * Incremental SSE decoder (the WHATWG event-stream format): feed text chunks as they arrive, get back
 * the events completed so far. Handles `\n`, `\r\n` and `\r` line ends, multi-line data, comments,
 * and events split across chunks.
 */
export class SseDecoder {
  private buffer = "";
  private eventName = "";
  private dataLines: string[] = [];

  /** Adds a chunk of the stream and returns the events it completed. */
  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const events: SseEvent[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      // A lone trailing `\r` may be the first half of `\r\n`: wait for the next chunk.
      if (!match || (match[0] === "\r" && match.index === this.buffer.length - 1)) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  /** Ends the stream: a final event without its blank line is still delivered. */
  end(): SseEvent[] {
    const events = this.buffer ? this.push("\n") : [];
    const last = this.line("");
    return last ? [...events, last] : events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === "") {
      if (this.dataLines.length === 0) {
        this.eventName = "";
        return undefined;
      }
      const event = { event: this.eventName || "message", data: this.dataLines.join("\n") };
      this.eventName = "";
      this.dataLines = [];
      return event;
    }
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.eventName = value;
    else if (field === "data") this.dataLines.push(value);
    return undefined;
  }
}

/** Reads a fetch body as a sequence of SSE events. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const sse = new SseDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* sse.push(decoder.decode(value, { stream: true }));
    }
    yield* sse.push(decoder.decode());
    yield* sse.end();
  } finally {
    reader.releaseLock();
  }
}
