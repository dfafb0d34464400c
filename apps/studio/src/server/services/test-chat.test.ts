import type { HttpResponse } from "@parley/engine";
import { emptyFlow } from "@parley/flow-schema";
import { describe, expect, it } from "vitest";
import { addNode, connect, updateNode } from "../../designer/core/document-ops";
import { prepareTestTurn, streamTestTurn } from "./test-chat";

/** start -> http (slow) -> message: a turn that stays in the http node until the test lets it go. */
function slowCallFlow() {
  let doc = emptyFlow("slow-call", "Slow call");
  const call = addNode(doc, "http", { x: 0, y: 150 });
  doc = updateNode(call.doc, call.nodeId, { data: { url: "https://api.example.com/slow" } });
  const said = addNode(doc, "message", { x: 0, y: 300 });
  doc = updateNode(said.doc, said.nodeId, { data: { text: "called", quickReplies: [] } });
  doc = connect(doc, { source: "start", sourceHandle: "next", target: call.nodeId }).doc;
  doc = connect(doc, { source: call.nodeId, sourceHandle: "success", target: said.nodeId }).doc;
  doc = connect(doc, { source: call.nodeId, sourceHandle: "error", target: said.nodeId }).doc;
  return { doc, callId: call.nodeId, messageId: said.nodeId };
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
