import type { OutgoingMessage } from "@parley/contract";
import { z } from "zod";

/** A node the turn passed through. Times are milliseconds since the turn started. */
export const nodeVisitSchema = z.object({
  nodeId: z.string(),
  kind: z.string(),
  at: z.number(),
  /** Until the next node was entered or the turn ended (includes the node's effect). */
  durationMs: z.number(),
});

/** A variable assignment, with the value before and after. */
export const variableChangeSchema = z.object({
  nodeId: z.string().nullable(),
  name: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});

/** An effect call through a port (or a JSONata evaluation). */
export const effectCallSchema = z.object({
  nodeId: z.string(),
  kind: z.enum(["http", "llm", "nlu", "knowledge", "expression"]),
  at: z.number(),
  durationMs: z.number(),
  outcome: z.enum(["ok", "error", "timeout"]),
  /** Short, secret-free description: status code, error reason, intent chosen. */
  detail: z.string().optional(),
});

/** Something noteworthy that is neither a node, a variable nor an effect. */
export const traceNoteSchema = z.object({
  nodeId: z.string().nullable(),
  message: z.string(),
});

/** What a turn did, for debugging, analytics and `parley chat --trace`. */
export const turnTraceSchema = z.object({
  nodes: z.array(nodeVisitSchema),
  variables: z.array(variableChangeSchema),
  effects: z.array(effectCallSchema),
  notes: z.array(traceNoteSchema),
  durationMs: z.number(),
});
/** What a turn did. */
export type TurnTrace = z.infer<typeof turnTraceSchema>;
/** An effect call of the trace. */
export type EffectCall = z.infer<typeof effectCallSchema>;

/**
 * A step of a turn as it happens, for live views such as the studio's test chat: a node entered, a
 * variable assigned, a message emitted. The complete trace still comes with the turn's result.
 */
export type TraceEvent =
  | { type: "node"; nodeId: string; kind: string; at: number }
  | { type: "variable"; nodeId: string | null; name: string; before: unknown; after: unknown }
  | { type: "message"; message: OutgoingMessage };

/** Receives a turn's steps as they happen; called synchronously by the interpreter, so it must not throw. */
export type TraceListener = (event: TraceEvent) => void;

/** Collects the trace of one turn (and relays its steps to a listener). Internal to the interpreter. */
export class TraceRecorder {
  private readonly started = performance.now();
  readonly trace: TurnTrace = { nodes: [], variables: [], effects: [], notes: [], durationMs: 0 };

  constructor(private readonly listener?: TraceListener) {}

  /** Milliseconds since the turn started. */
  elapsed(): number {
    return Math.round((performance.now() - this.started) * 1000) / 1000;
  }

  enterNode(nodeId: string, kind: string): void {
    const at = this.elapsed();
    this.closeLastVisit(at);
    this.trace.nodes.push({ nodeId, kind, at, durationMs: 0 });
    this.listener?.({ type: "node", nodeId, kind, at });
  }

  /** Drops the last visit (a waiting node that turned out not to take the event). */
  forgetLastVisit(): void {
    this.trace.nodes.pop();
  }

  variable(nodeId: string | null, name: string, before: unknown, after: unknown): void {
    this.trace.variables.push({ nodeId, name, before, after });
    this.listener?.({ type: "variable", nodeId, name, before, after });
  }

  /** Relays an emitted message to the listener (messages are the result's, not part of the trace). */
  message(message: OutgoingMessage): void {
    this.listener?.({ type: "message", message });
  }

  effect(call: EffectCall): void {
    this.trace.effects.push(call);
  }

  note(nodeId: string | null, message: string): void {
    this.trace.notes.push({ nodeId, message });
  }

  finish(): TurnTrace {
    const at = this.elapsed();
    this.closeLastVisit(at);
    this.trace.durationMs = at;
    return this.trace;
  }

  private closeLastVisit(at: number): void {
    const last = this.trace.nodes.at(-1);
    if (last) last.durationMs = Math.round((at - last.at) * 1000) / 1000;
  }
}
