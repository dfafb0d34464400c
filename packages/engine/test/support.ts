/**
 * Test support for the engine's suites: example flows, a tiny inline-flow builder and a
 * conversation driver that persists snapshots between turns like the runtime does.
 */
import { readFileSync } from "node:fs";
import type { FlowDocumentInput } from "@parley/flow-schema";
import type { MachineJson } from "../src/compile/machine-schema";
import type { TurnResult } from "../src/interpret/result";
import type { RunTurnInput } from "../src/interpret/run-turn";
import { runTurn } from "../src/interpret/run-turn";
import type { PersistedSnapshot } from "../src/interpret/snapshot";
import type { LlmMessage } from "../src/ports/llm";
import type { EnginePorts } from "../src/ports/ports";
import type { TurnEventInput } from "../src/protocol/events";

/** An example flow from examples/flows, as parsed JSON. */
export function loadExample(name: string): FlowDocumentInput {
  const url = new URL(`../../../examples/flows/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as FlowDocumentInput;
}

/** A node of an inline flow: position defaults to the origin. */
export interface InlineNode {
  id: string;
  kind: string;
  data?: Record<string, unknown>;
}

/** Builds a flow document from nodes and `[source, handle, target]` edges. */
export function inlineFlow(spec: {
  id?: string;
  nodes: InlineNode[];
  edges?: [string, string, string][];
  variables?: { name: string; type: string; default?: unknown; scope?: string }[];
  settings?: Record<string, unknown>;
}): FlowDocumentInput {
  return {
    version: 1,
    id: spec.id ?? "inline",
    name: spec.id ?? "Inline flow",
    nodes: spec.nodes.map((node) => ({
      id: node.id,
      kind: node.kind,
      position: { x: 0, y: 0 },
      data: node.data ?? {},
    })),
    edges: (spec.edges ?? []).map(([source, sourceHandle, target]) => ({
      id: `${source}:${sourceHandle}:${target}`,
      source,
      sourceHandle,
      target,
    })),
    variables: spec.variables ?? [],
    settings: spec.settings ?? {},
  } as FlowDocumentInput;
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2025, 0, 1, 12)) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** Drives one conversation turn by turn, persisting the snapshot (as JSON) and the history. */
export class TestConversation {
  snapshot: PersistedSnapshot | null = null;
  readonly history: LlmMessage[] = [];
  readonly results: TurnResult[] = [];

  constructor(
    readonly machine: MachineJson,
    readonly options: { id?: string; ports?: EnginePorts; extra?: Partial<RunTurnInput> } = {},
  ) {}

  async send(event: TurnEventInput): Promise<TurnResult> {
    const result = await runTurn({
      machine: this.machine,
      snapshot: this.snapshot,
      event,
      conversation: { id: this.options.id ?? "conversation-1" },
      ports: this.options.ports,
      history: [...this.history],
      ...this.options.extra,
    });
    // Persist like the runtime: through JSON.
    this.snapshot = JSON.parse(JSON.stringify(result.snapshot)) as PersistedSnapshot;
    if (event.type === "user.text") this.history.push({ role: "user", content: event.text });
    for (const message of result.messages) {
      if (message.type === "text" || message.type === "ask")
        this.history.push({ role: "assistant", content: message.text });
    }
    this.results.push(result);
    return result;
  }

  start(variables: Record<string, unknown> = {}): Promise<TurnResult> {
    return this.send({ type: "conversation.start", variables });
  }

  say(text: string): Promise<TurnResult> {
    return this.send({ type: "user.text", text });
  }
}

/** The texts a turn said (text, ask and handoff messages), in order. */
export function said(result: TurnResult): string[] {
  return result.messages.flatMap((message) =>
    message.type === "text" || message.type === "ask"
      ? [message.text]
      : message.type === "handoff" && message.text
        ? [message.text]
        : [],
  );
}

/** The ids of the nodes a turn visited, in order. */
export function visited(result: TurnResult): string[] {
  return result.trace.nodes.map((visit) => visit.nodeId);
}

/** A chain of `size` nodes alternating condition and message, for compile-size tests. */
export function largeFlow(size: number): FlowDocumentInput {
  const nodes: InlineNode[] = [{ id: "start", kind: "start" }];
  const edges: [string, string, string][] = [];
  let previous = "start";
  for (let index = 1; index < size; index += 1) {
    const id = `n${index}`;
    nodes.push(
      index % 2 === 0
        ? { id, kind: "message", data: { text: `Step ${index}` } }
        : {
            id,
            kind: "condition",
            data: { groups: [{ id: "yes", rules: [{ variable: "x", operator: "isSet" }] }] },
          },
    );
    const fromCondition = previous !== "start" && Number(previous.slice(1)) % 2 === 1;
    edges.push([previous, fromCondition ? "else" : "next", id]);
    previous = id;
  }
  return inlineFlow({ id: "large", nodes, edges, variables: [{ name: "x", type: "string" }] });
}
