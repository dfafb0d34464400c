import type { OutgoingMessage } from "@parley/contract";
import { z } from "zod";
import { defaultExpressionBudget, type ExpressionBudget } from "../expressions/jsonata";
import type { LlmMessage } from "../ports/llm";
import type { EnginePorts } from "../ports/ports";
import type { ClockPort, LoggerPort, RandomPort } from "../ports/system";
import type { FlowContext } from "./context";
import type { TraceRecorder } from "./trace";

/** A timer the caller must schedule; when due, run a turn with `{ type: "timer.fired", timerId }`. */
export const timerRequestSchema = z.object({
  timerId: z.string(),
  /** Due time, in milliseconds since the Unix epoch. */
  dueAt: z.number(),
  nodeId: z.string(),
});
/** A timer the caller must schedule. */
export type TimerRequest = z.infer<typeof timerRequestSchema>;

/** A piece of a streamed LLM reply, relayed to the caller as it arrives. */
export interface StreamChunk {
  nodeId: string;
  token: string;
}

/** Limits of one turn. */
export interface TurnOptions {
  /** Timeout of effects without their own setting (set-variable expressions). Default 10 s. */
  defaultEffectTimeoutMs?: number;
  /** Node entries allowed in one turn before it is stopped as a runaway loop. Default 500. */
  maxNodeVisits?: number;
  /** JSONata limits (time, depth, sequence, input and result size). */
  expressionBudget?: Partial<ExpressionBudget>;
}

/** Turn options with defaults applied. */
export interface ResolvedTurnOptions {
  defaultEffectTimeoutMs: number;
  maxNodeVisits: number;
  expressionBudget: ExpressionBudget;
}

/** Applies defaults to turn options. */
export function resolveTurnOptions(options: TurnOptions = {}): ResolvedTurnOptions {
  return {
    defaultEffectTimeoutMs: options.defaultEffectTimeoutMs ?? 10_000,
    maxNodeVisits: options.maxNodeVisits ?? 500,
    expressionBudget: { ...defaultExpressionBudget, ...options.expressionBudget },
  };
}

/** Ports with the system ones defaulted. */
export type ResolvedPorts = EnginePorts & { clock: ClockPort; random: RandomPort; logger: LoggerPort };

/**
 * Everything one turn's implementations share: ports, limits, what was said, the trace.
 * Implementations find it from XState's `system` (see {@link sessionOf}); it lives as long as
 * the turn. Internal to the interpreter.
 */
export interface TurnSession {
  readonly ports: ResolvedPorts;
  readonly options: ResolvedTurnOptions;
  readonly messages: OutgoingMessage[];
  readonly timers: TimerRequest[];
  readonly trace: TraceRecorder;
  /** Earlier history passed by the caller plus this turn's messages, for llm nodes. */
  readonly transcript: LlmMessage[];
  readonly onStream: ((chunk: StreamChunk) => void) | undefined;
  /** Aborted when the caller cancels the turn. */
  readonly signal: AbortSignal;
  /** Node entries so far. */
  visits: number;
  /** The context right now (effects read variables through it). */
  currentContext(): FlowContext;
}

/** What a session needs to know about its actor. */
interface SnapshotSource {
  getSnapshot(): { context: unknown };
}

/**
 * The turn session implementation. A class, so a turn allocates one object and no closures
 * (this is on the hot path of every turn).
 */
export class TurnSessionState implements TurnSession {
  readonly messages: OutgoingMessage[] = [];
  readonly timers: TimerRequest[] = [];
  visits = 0;
  /** Set right after the actor is created (the actor needs the session's system binding first). */
  actor: SnapshotSource | undefined;

  constructor(
    readonly ports: ResolvedPorts,
    readonly options: ResolvedTurnOptions,
    readonly trace: TraceRecorder,
    readonly transcript: LlmMessage[],
    readonly onStream: ((chunk: StreamChunk) => void) | undefined,
    readonly signal: AbortSignal,
  ) {}

  currentContext(): FlowContext {
    if (!this.actor) throw new Error("Parley engine: the turn has no actor yet");
    return this.actor.getSnapshot().context as FlowContext;
  }
}

/** Adds an outgoing message and mirrors it into the transcript. */
export function emit(session: TurnSession, message: OutgoingMessage): void {
  session.messages.push(message);
  session.trace.message(message);
  if (message.type === "text" || message.type === "ask") {
    session.transcript.push({ role: "assistant", content: message.text });
  } else if (message.type === "handoff" && message.text) {
    session.transcript.push({ role: "assistant", content: message.text });
  }
}

const sessions = new WeakMap<object, TurnSession>();

/** Binds a session to an actor system for the duration of a turn. */
export function bindSession(system: object, session: TurnSession): void {
  sessions.set(system, session);
}

/** The session of the turn an implementation runs in. */
export function sessionOf(system: unknown): TurnSession {
  const session = typeof system === "object" && system !== null ? sessions.get(system) : undefined;
  if (!session) throw new Error("Parley engine: implementation called outside runTurn (no session bound)");
  return session;
}
