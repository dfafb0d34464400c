import type { HttpResponse } from "@parley/engine";
import { describe, expect, it } from "vitest";
import { prepareTestTurn, streamTestTurn } from "./test-turn";

/** start -> http (slow) -> message: a turn that stays in the http node until the test lets it go. */
function slowCallFlow() {
  const doc = {
    version: 1,
    id: "slow-call",
    name: "Slow call",
    nodes: [
      { id: "start", kind: "start", position: { x: 0, y: 0 }, label: "Start", data: {} },
      {
        id: "http-1",
        kind: "http",
        position: { x: 0, y: 150 },
        data: { url: "https://api.example.com/slow" },
        label: "HTTP request",
      },
      {
        id: "message-1",
        kind: "message",
        position: { x: 0, y: 300 },
        data: { text: "called", quickReplies: [] },
        label: "Message",
      },
    ],
    edges: [
      { id: "e-start-next-1", source: "start", sourceHandle: "next", target: "http-1" },
      { id: "e-http-1-success-1", source: "http-1", sourceHandle: "success", target: "message-1" },
      { id: "e-http-1-error-1", source: "http-1", sourceHandle: "error", target: "message-1" },
    ],
    variables: [],
    settings: {
      language: "en",
      typingDelayMs: 0,
      fallback: { message: "Sorry, something went wrong on our side. Please try again later." },
    },
  };
  return { doc, callId: "http-1", messageId: "message-1" };
}

describe("test chat stream", () => {
  it("yields each node while the turn is still running, then the result", async () => {
    const { doc, callId, messageId } = slowCallFlow();
    let answer: (response: HttpResponse) => void = () => {};
    const http = { request: () => new Promise<HttpResponse>((resolve) => (answer = resolve)) };
    const turn = prepareTestTurn({
      document: doc,
      subflows: {},
      snapshot: null,
      event: { type: "conversation.start" },
      conversationId: "live",
      botId: "bot",
    });
    const stream = streamTestTurn(turn, { ports: { http } });

    const first = await stream.next();
    expect(first.value).toMatchObject({ type: "node", nodeId: "start" });
    const second = await stream.next();
    // The http call has not answered: the node being executed is already known.
    expect(second.value).toMatchObject({ type: "node", nodeId: callId, kind: "http" });

    answer({ status: 200, headers: {}, body: "{}" });
    const rest = [];
    for await (const event of stream) rest.push(event);
    expect(rest[0]).toMatchObject({ type: "node", nodeId: messageId });
    expect(rest.at(-1)?.type).toBe("done");
    expect(rest).toContainEqual({
      type: "message",
      message: expect.objectContaining({ type: "text", text: "called", nodeId: messageId }),
    });
    const done = rest.at(-1);
    if (done?.type !== "done") throw new Error("no result");
    expect(done.result.trace.nodes.map((node) => node.nodeId)).toEqual(["start", callId, messageId]);
  });

  it("cancels the turn's effect when the request goes away", async () => {
    const { doc } = slowCallFlow();
    let aborted = false;
    const http = {
      request: (_request: unknown, { signal }: { signal: AbortSignal }) =>
        new Promise<HttpResponse>((_resolve, reject) => {
          signal.addEventListener("abort", () => {
            aborted = true;
            reject(signal.reason);
          });
        }),
    };
    const controller = new AbortController();
    const stream = streamTestTurn(
      prepareTestTurn({
        document: doc,
        subflows: {},
        snapshot: null,
        event: { type: "conversation.start" },
        conversationId: "gone",
        botId: "bot",
      }),
      { ports: { http }, signal: controller.signal },
    );
    await stream.next();
    await stream.next();
    controller.abort();
    const rest = [];
    for await (const event of stream) rest.push(event.type);
    expect(aborted).toBe(true);
    expect(rest.at(-1)).toBe("done");
  });
});
