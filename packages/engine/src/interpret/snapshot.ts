import { z } from "zod";
import type { FlowContext, TurnEnv } from "./context";

/**
 * A persisted conversation snapshot: XState's persisted snapshot of the flow machine, minus
 * anything derivable (empty history and children maps, per-turn facts). Plain JSON; store it
 * next to the conversation and pass it back with the same machine version on the next turn.
 */
export const persistedSnapshotSchema = z
  .object({
    status: z.enum(["active", "done", "error", "stopped"]),
    value: z.union([z.string(), z.record(z.string(), z.unknown())]),
    context: z.object({
      vars: z.record(z.string(), z.unknown()),
      sys: z.record(z.string(), z.unknown()),
      rt: z.record(z.string(), z.unknown()),
    }),
    historyValue: z.record(z.string(), z.unknown()).optional(),
    children: z.record(z.string(), z.unknown()).optional(),
    output: z.unknown().optional(),
  })
  .loose();
/** A persisted conversation snapshot. */
export type PersistedSnapshot = z.infer<typeof persistedSnapshotSchema>;

/** A wait node's timer a snapshot waits on: its id (unique per scheduling) and when it is due (epoch ms). */
export const pendingTimerSchema = z.object({ id: z.string().min(1), dueAt: z.number() });
/** A wait node's pending timer. */
export type PendingTimer = z.infer<typeof pendingTimerSchema>;

/**
 * Where a persisted snapshot keeps its pending timer, as a JSON path: for stores that find waiting
 * conversations in SQL (`snapshot #> path`) without reading the snapshot's layout themselves.
 * Parse what that path holds with {@link pendingTimerSchema}.
 */
export const PENDING_TIMER_PATH: readonly string[] = ["context", "rt", "timer"];

/**
 * The timer a persisted snapshot waits on, if any. The one reader of the snapshot's runtime
 * internals outside the engine's interpreter.
 *
 * @example
 * const timer = pendingTimerOf(conversation.snapshot);
 * if (timer) queue.add("timers", { timerId: timer.id }, { delayMs: timer.dueAt - Date.now() });
 */
export function pendingTimerOf(snapshot: unknown): PendingTimer | undefined {
  let value: unknown = snapshot;
  for (const key of PENDING_TIMER_PATH) {
    value = isRecord(value) ? value[key] : undefined;
  }
  const parsed = pendingTimerSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

const statuses = new Set(["active", "done", "error", "stopped"]);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The structural check `runTurn` applies on every turn: the same rules as
 * {@link persistedSnapshotSchema} for the fields the engine reads, without zod's cost on the
 * hot path. Callers loading snapshots from storage can validate with the schema itself.
 */
export function isPersistedSnapshot(value: unknown): value is PersistedSnapshot {
  if (!isRecord(value) || !statuses.has(value.status as string)) return false;
  if (typeof value.value !== "string" && !isRecord(value.value)) return false;
  const context = value.context;
  return isRecord(context) && isRecord(context.vars) && isRecord(context.sys) && isRecord(context.rt);
}

/** XState's view of a snapshot to restore, with the turn's facts merged into the context. */
export function toRestorable(snapshot: PersistedSnapshot, env: TurnEnv): Record<string, unknown> {
  return {
    ...snapshot,
    context: { ...snapshot.context, env },
    historyValue: snapshot.historyValue ?? {},
    children: snapshot.children ?? {},
  };
}

/** A fresh conversation's snapshot: the machine's initial (boot) state and context. */
export function initialSnapshot(
  initial: string,
  context: Omit<FlowContext, "env">,
  env: TurnEnv,
): Record<string, unknown> {
  return { status: "active", value: initial, context: { ...context, env }, historyValue: {}, children: {} };
}

function isEmpty(record: unknown): boolean {
  return (
    record === undefined ||
    (typeof record === "object" && record !== null && Object.keys(record).length === 0)
  );
}

/**
 * The snapshot to persist from XState's persisted snapshot: drops the per-turn facts, errors
 * and empty maps. The result is plain JSON data.
 */
export function toPersisted(persisted: Record<string, unknown>): PersistedSnapshot {
  const {
    context,
    historyValue,
    children,
    error: _error,
    ...rest
  } = persisted as {
    context: FlowContext;
    historyValue?: unknown;
    children?: unknown;
    error?: unknown;
  } & Record<string, unknown>;
  const { env: _env, ...kept } = context;
  const snapshot: Record<string, unknown> = { ...rest, context: kept };
  if (!isEmpty(historyValue)) snapshot.historyValue = historyValue;
  if (!isEmpty(children)) snapshot.children = children;
  // Everything left is JSON already (variables only ever hold JSON values), so no round trip.
  if (snapshot.output === undefined) delete snapshot.output;
  return snapshot as PersistedSnapshot;
}

/** A snapshot of a conversation that ended in the `$failed` state. */
export function failedSnapshot(context: FlowContext, failedState: string): PersistedSnapshot {
  return toPersisted({ status: "done", value: failedState, context });
}
