import { describe, expect, it } from "vitest";
import { readSse, SseDecoder } from "./sse";

describe("SseDecoder", () => {
  it("decodes named events, multi-line data and comments", () => {
    const decoder = new SseDecoder();
    const events = decoder.push(
      ': keep-alive\nevent: token\ndata: {"a":1}\n\ndata: line one\ndata: line two\n\n',
    );
    expect(events).toEqual([
      { event: "token", data: '{"a":1}' },
      { event: "message", data: "line one\nline two" },
    ]);
  });

  it("reassembles events split at any byte, including between \\r and \\n", () => {
    const stream = "event: message\r\ndata: hello\r\n\r\nevent: done\r\ndata: {}\r\n\r\n";
    for (let cut = 1; cut < stream.length; cut++) {
      const decoder = new SseDecoder();
      const events = [
        ...decoder.push(stream.slice(0, cut)),
        ...decoder.push(stream.slice(cut)),
        ...decoder.end(),
      ];
      expect(events, `cut at ${cut}`).toEqual([
        { event: "message", data: "hello" },
        { event: "done", data: "{}" },
      ]);
    }
  });

  it("delivers a last event that lacks its blank line when the stream ends", () => {
    const decoder = new SseDecoder();
    expect(decoder.push("event: done\ndata: 1")).toEqual([]);
    expect(decoder.end()).toEqual([{ event: "done", data: "1" }]);
  });
});

describe("readSse", () => {
  it("reads events from a byte stream whose chunks split multi-byte characters", async () => {
    const bytes = new TextEncoder().encode("event: token\ndata: pizza 🍕\n\n");
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
        controller.close();
      },
    });
    const events = [];
    for await (const event of readSse(body)) events.push(event);
    expect(events).toEqual([{ event: "token", data: "pizza 🍕" }]);
  });
});
