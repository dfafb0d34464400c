import {
  type AnyActorRef,
  type AnyEventObject,
  type AnyStateMachine,
  createActor,
  type SnapshotFrom,
} from "xstate";
import type { MachineJson } from "../compile/machine-schema";
import { specialStates, stateTags } from "../compile/names";
import { nodeIdOfStateKey } from "../compile/state-key";
import { describeError } from "../effects/output";
import type { LlmMessage } from "../ports/llm";
import type { EnginePorts } from "../ports/ports";
import { silentLogger, systemClock, systemRandom } from "../ports/system";
import { type TurnEvent, type TurnEventInput, turnEventSchema } from "../protocol/events";
import { variableBoundsProblem } from "../protocol/variable-bounds";
import type { AbSplitChoice, FlowContext, TurnEnv } from "./context";
import { machineFor } from "./machine-cache";
import type { TurnResult } from "./result";
import {
  bindSession,
  emit,
  resolveTurnOptions,
  type StreamChunk,
  type TurnOptions,
  TurnSessionState,
} from "./session";
import {
  failedSnapshot,
  initialSnapshot,
  isPersistedSnapshot,
  type PersistedSnapshot,
  toPersisted,
  toRestorable,
} from "./snapshot";
import { type TraceListener, TraceRecorder } from "./trace";

/** Facts about the conversation, passed on every turn (not persisted in the snapshot). */
export interface ConversationInfo {
  /** Conversation id: A/B assignment is derived from it, so keep it stable. */
  id: string;
  botId?: string;
  channel?: string;
  contactId?: string;
  contactName?: string;
  language?: string;
  /**
   * Set by an experiment over an ab-split node: that node takes this branch instead of the
   * conversation's hash bucket (the caller keeps it the same on every turn).
   */
  abSplitChoice?: AbSplitChoice;
}

/** Everything one turn needs. */
export interface RunTurnInput {
  /** The compiled machine of the flow version the conversation runs on. */
  machine: MachineJson;
  /** The snapshot persisted after the previous turn, or null for a new conversation. */
  snapshot: PersistedSnapshot | null;
  /** What happened. For a new conversation any event first starts it (no variables). */
  event: TurnEventInput;
  conversation: ConversationInfo;
  ports?: EnginePorts;
  /** Recent messages before this turn, oldest first, for llm nodes (kept out of the snapshot). */
  history?: LlmMessage[];
  /** Receives LLM tokens as they arrive, for nodes that stream their reply. */
  onStream?: (chunk: StreamChunk) => void;
  /** Receives the turn's steps (nodes entered, variables set, messages) as they happen. */
  onTrace?: TraceListener;
  /** Cancels the turn's effects (they fail and take their error branches). */
  signal?: AbortSignal;
  options?: TurnOptions;
}

/** runTurn was called with arguments it cannot use (a caller bug, not a flow problem). */
export class TurnInputError extends Error {
  override readonly name = "TurnInputError";
}

type FlowSnapshot = SnapshotFrom<AnyStateMachine>;

const defaultTurnOptions = resolveTurnOptions();

/** The signal of turns the caller cannot cancel (one shared instance: creating signals is not free). */
const neverAborted = new AbortController().signal;

/**
 * True when the machine stopped in a state that neither waits nor runs an effect. XState ends
 * an eventless self-loop that changes nothing (a condition whose `else` leads to itself) this
 * way; without this check the turn would wait forever.
 */
function isStuck(snapshot: FlowSnapshot): boolean {
  return (
    snapshot.status === "active" &&
    !snapshot.hasTag(stateTags.waiting) &&
    Object.keys(snapshot.children as Record<string, unknown>).length === 0
  );
}

function isSettled(snapshot: FlowSnapshot): boolean {
  return snapshot.status !== "active" || snapshot.hasTag(stateTags.waiting) || isStuck(snapshot);
}

/**
 * Resolves once the machine waits for outside input, ends, fails or is stuck; undefined when
 * it already has (flows without effects settle synchronously: no promise to allocate).
 */
function settled(actor: AnyActorRef): Promise<void> | undefined {
  if (isSettled(actor.getSnapshot())) return undefined;
  return new Promise((resolve) => {
    const subscription = actor.subscribe({
      next: (snapshot: FlowSnapshot) => {
        if (isSettled(snapshot)) {
          subscription.unsubscribe();
          resolve();
        }
      },
      error: () => {
        subscription.unsubscribe();
        resolve();
      },
    });
  });
}

const optionalConversationFacts = ["botId", "channel", "contactId", "contactName", "language"] as const;

/** The per-turn facts merged into the context (only the ones the caller gave). */
function turnEnv(conversation: ConversationInfo, flowId: string, now: number): TurnEnv {
  const env: TurnEnv = { conversationId: conversation.id, flowId, now };
  for (const key of optionalConversationFacts) {
    const value = conversation[key];
    if (value !== undefined) env[key] = value;
  }
  if (conversation.abSplitChoice) env.abSplitChoice = conversation.abSplitChoice;
  return env;
}

/**
 * Parses a turn event with `turnEventSchema`. Well-formed events take a hand-written path
 * (this runs on every turn) that accepts exactly what the schema accepts and returns what it
 * would return (a test checks both agree); anything else goes through zod, which also writes
 * the error messages.
 */
export function parseEvent(event: TurnEventInput): TurnEvent {
  const candidate = event as Record<string, unknown> | null;
  if (candidate !== null && typeof candidate === "object") {
    const { type } = candidate;
    if (type === "user.text" && typeof candidate.text === "string" && candidate.text.length <= 10_000) {
      return { type, text: candidate.text };
    }
    if (
      type === "user.choice" &&
      Array.isArray(candidate.values) &&
      candidate.values.length > 0 &&
      candidate.values.every((value) => typeof value === "string")
    ) {
      return { type, values: [...(candidate.values as string[])] };
    }
    if (type === "timer.fired" && typeof candidate.timerId === "string") {
      return { type, timerId: candidate.timerId };
    }
    if (type === "conversation.start" || type === "handoff.resolved") {
      const { variables } = candidate;
      if (variables === undefined) return { type, variables: {} };
      if (typeof variables === "object" && variables !== null && !Array.isArray(variables)) {
        const bounds = variableBoundsProblem(variables as Record<string, unknown>);
        if (bounds) throw new TurnInputError(`invalid turn event: ${bounds.message}`);
        return { type, variables: { ...(variables as Record<string, unknown>) } };
      }
    }
  }
  const parsed = turnEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new TurnInputError(
      `invalid turn event: ${parsed.error.issues.map((issue) => issue.message).join("; ")}`,
    );
  }
  return parsed.data;
}

function userTranscriptEntry(event: TurnEvent): LlmMessage | undefined {
  if (event.type === "user.text") return { role: "user", content: event.text };
  if (event.type === "user.choice") return { role: "user", content: event.values.join(", ") };
  return undefined;
}

/** The innermost active state key (inlined subflows nest). */
function activeStateKey(value: unknown): string | undefined {
  let current = value;
  while (current !== null && typeof current === "object") current = Object.values(current)[0];
  return typeof current === "string" ? current : undefined;
}

/** The node that receives an outside event, recorded as the first visit of the turn. */
function noteResumedNode(trace: TraceRecorder, snapshot: FlowSnapshot): void {
  const key = activeStateKey(snapshot.value);
  const kind = snapshot.hasTag(stateTags.ask)
    ? "ask"
    : snapshot.hasTag(stateTags.timer)
      ? "wait"
      : snapshot.hasTag(stateTags.handoff)
        ? "handoff"
        : undefined;
  if (key && kind) trace.enterNode(nodeIdOfStateKey(key), kind);
}

function waitingFor(snapshot: FlowSnapshot): TurnResult["waitingFor"] {
  if (snapshot.status !== "active") return null;
  if (snapshot.hasTag(stateTags.timer)) return "timer";
  if (snapshot.hasTag(stateTags.handoff)) return "agent";
  return "user";
}

/**
 * Runs one turn of a conversation: restores the snapshot into the machine, sends the event,
 * lets the flow run (effects through the ports, each under its timeout) until it waits for
 * input or ends, and returns the new snapshot, the messages, the status, timer requests and a
 * trace. Pure apart from the ports: no I/O of its own.
 *
 * Flow problems never throw: a failing or timed-out effect takes the node's error branch,
 * then the flow's fallback; anything else (a loop that never waits, an unexpected error) sends
 * the fallback message and ends the conversation. It throws {@link TurnInputError} only for
 * arguments it cannot use (an invalid event, a snapshot that does not belong to the machine)
 * and `InvalidMachineError` for machine JSON that is not a compiled machine.
 */
export async function runTurn(input: RunTurnInput): Promise<TurnResult> {
  const event = parseEvent(input.event);
  const json = input.machine;
  const machine = machineFor(json);
  const ports = input.ports ?? {};
  const clock = ports.clock ?? systemClock;
  const env = turnEnv(input.conversation, json.meta.flowId, clock.now());

  let restorable: Record<string, unknown>;
  if (input.snapshot) {
    if (!isPersistedSnapshot(input.snapshot)) {
      throw new TurnInputError(
        "the snapshot is not a persisted Parley snapshot (see persistedSnapshotSchema)",
      );
    }
    restorable = toRestorable(input.snapshot, env);
  } else {
    restorable = initialSnapshot(json.initial, json.context as Omit<FlowContext, "env">, env);
  }

  let actor: AnyActorRef;
  try {
    actor = createActor(machine, { snapshot: restorable as never });
  } catch (error) {
    throw new TurnInputError(
      `the snapshot does not fit machine ${json.meta.flowId}@${json.version}: ${describeError(error)}`,
    );
  }

  const trace = new TraceRecorder(input.onTrace);
  const session = new TurnSessionState(
    ports.random && ports.logger && ports.clock
      ? (ports as TurnSessionState["ports"])
      : { ...ports, clock, random: ports.random ?? systemRandom, logger: ports.logger ?? silentLogger },
    input.options ? resolveTurnOptions(input.options) : defaultTurnOptions,
    trace,
    input.history ? [...input.history] : [],
    input.onStream,
    input.signal ?? neverAborted,
  );
  session.actor = actor;
  bindSession(actor.system, session);

  let failure: unknown;
  const errorWatch = actor.subscribe({ error: (error: unknown) => (failure = error) });
  actor.start();
  if (failure !== undefined) {
    // Nothing ran yet: the snapshot (or the machine) could not be restored.
    errorWatch.unsubscribe();
    actor.stop();
    throw new TurnInputError(
      `the snapshot does not fit machine ${json.meta.flowId}@${json.version}: ${describeError(failure)}`,
    );
  }

  const events: AnyEventObject[] =
    input.snapshot === null && event.type !== "conversation.start"
      ? [{ type: "conversation.start", variables: {} }, event]
      : [event];

  for (const next of events) {
    const snapshot = actor.getSnapshot() as FlowSnapshot;
    if (snapshot.status !== "active") {
      trace.note(null, `event ${next.type} ignored: the conversation has ended`);
      break;
    }
    noteResumedNode(trace, snapshot);
    const said = userTranscriptEntry(next as TurnEvent);
    if (said) session.transcript.push(said);
    actor.send(next);
    // XState keeps the very same snapshot when no transition took the event.
    if (actor.getSnapshot() === snapshot) {
      trace.note(null, `event ${next.type} is not expected now and was ignored`);
      trace.forgetLastVisit();
      continue;
    }
    const running = settled(actor);
    if (running) await running;
    // A message kept during a wait answers the next question.
    for (let round = 0; round < 10; round += 1) {
      const current = actor.getSnapshot() as FlowSnapshot;
      const pending = (current.context as FlowContext).rt.pending;
      if (current.status !== "active" || !current.hasTag(stateTags.ask) || pending === undefined) break;
      actor.send({ type: "user.text", text: pending });
      const answering = settled(actor);
      if (answering) await answering;
    }
    const after = actor.getSnapshot() as FlowSnapshot;
    if (isStuck(after)) {
      const node = nodeIdOfStateKey(activeStateKey(after.value) ?? "?");
      failure = new Error(`the flow loops at node ${node} without waiting for input`);
      break;
    }
  }

  const final = actor.getSnapshot() as FlowSnapshot;
  errorWatch.unsubscribe();
  let result: Omit<TurnResult, "trace">;
  if (final.status === "error" || failure !== undefined) {
    const reason = describeError(failure ?? final.error);
    trace.note(null, `turn failed: ${reason}`);
    session.ports.logger.error({ flowId: json.meta.flowId, error: reason }, "turn failed");
    emit(session, {
      type: "text",
      nodeId: "",
      text: json.meta.fallbackMessage,
      format: "plain",
      source: "system",
    });
    emit(session, { type: "end", nodeId: "", reason: "error" });
    const context = final.context as FlowContext;
    result = {
      snapshot: failedSnapshot(context, specialStates.failed),
      messages: session.messages,
      status: "ended",
      waitingFor: null,
      // The conversation is over: timers requested earlier in the turn must not fire.
      timers: [],
      variables: context.vars,
    };
  } else {
    const context = final.context as FlowContext;
    result = {
      snapshot: toPersisted(actor.getPersistedSnapshot() as unknown as Record<string, unknown>),
      messages: session.messages,
      status: final.status === "done" ? "ended" : final.hasTag(stateTags.handoff) ? "handoff" : "waiting",
      waitingFor: waitingFor(final),
      timers: session.timers,
      variables: context.vars,
    };
  }
  // A settled machine runs no child actors and holds no timers: stopping it would only cost
  // time. Stop it when something is still running (a failed turn can leave an effect behind).
  if (Object.keys((actor.getSnapshot() as FlowSnapshot).children as Record<string, unknown>).length > 0)
    actor.stop();
  return { ...result, trace: trace.finish() };
}
