import { describe, expect, it } from "vitest";
import { inlineFlow, loadExample } from "../../test/support";
import { compile } from "../compile/compile";
import { runTurn } from "./run-turn";
import type { TraceEvent } from "./trace";

describe("live trace events (onTrace)", () => {
  it("relays every node, variable and message of a turn, in the order of the trace", async () => {
    const machine = compile(loadExample("pizza-order"));
    const events: TraceEvent[] = [];
    const start = await runTurn({
      machine,
      snapshot: null,
      event: { type: "conversation.start" },
      conversation: { id: "live-1" },
    });
    const result = await runTurn({
      machine,
      snapshot: start.snapshot,
      event: { type: "user.text", text: "Ada" },
      conversation: { id: "live-1" },
      onTrace: (event) => events.push(event),
    });
    const of = <T extends TraceEvent["type"]>(type: T) =>
      events.filter((event): event is Extract<TraceEvent, { type: T }> => event.type === type);
    expect(of("node").map(({ nodeId, kind }) => ({ nodeId, kind }))).toEqual(
      result.trace.nodes.map(({ nodeId, kind }) => ({ nodeId, kind })),
    );
    expect(of("variable").map(({ type: _, ...change }) => change)).toEqual(result.trace.variables);
    expect(of("message").map((event) => event.message)).toEqual(result.messages);
    expect(of("variable")).toContainEqual(expect.objectContaining({ name: "customerName", after: "Ada" }));
  });

  it("reports a node as soon as it is entered, while its effect is still running", async () => {
    const machine = compile(
      inlineFlow({
        nodes: [
          { id: "start", kind: "start" },
          { id: "call", kind: "http", data: { url: "https://api.example.com/slow" } },
          { id: "done", kind: "message", data: { text: "done" } },
        ],
        edges: [
          ["start", "next", "call"],
          ["call", "success", "done"],
          ["call", "error", "done"],
        ],
      }),
    );
    const seen: string[] = [];
    let release: () => void = () => {};
    let entered: () => void = () => {};
    const callEntered = new Promise<void>((resolve) => (entered = resolve));
    const http = {
      request: () =>
        new Promise<{ status: number; headers: Record<string, string>; body: string }>((resolve) => {
          release = () => resolve({ status: 200, headers: {}, body: "{}" });
        }),
    };
    const turn = runTurn({
      machine,
      snapshot: null,
      event: { type: "conversation.start" },
      conversation: { id: "live-2" },
      ports: { http },
      onTrace: (event) => {
        if (event.type === "node") seen.push(event.nodeId);
        if (event.type === "node" && event.nodeId === "call") entered();
      },
    });
    await callEntered;
    // The http call has not answered yet: the turn is in the middle of node "call".
    expect(seen).toEqual(["start", "call"]);
    release();
    const result = await turn;
    expect(seen).toEqual(["start", "call", "done"]);
    expect(result.trace.nodes.map((node) => node.nodeId)).toEqual(seen);
  });
});
