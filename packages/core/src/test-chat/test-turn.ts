import type { TenantClient } from "@parley/db";
import {
  compile,
  type EnginePorts,
  FlowCompileError,
  type MachineJson,
  type PersistedSnapshot,
  runTurn,
  type TraceEvent,
  type TurnEventInput,
  TurnInputError,
  type TurnResult,
} from "@parley/engine";
import type { FlowDocument } from "@parley/flow-schema";
import { ServiceError } from "../errors";

/** The published documents of a bot's flows, keyed by document id (what subflow nodes call) (internal). */
export async function publishedSubflows(
  db: TenantClient,
  botId: string,
): Promise<Record<string, FlowDocument>> {
  const flows = await db.flow.findMany({
    where: { botId, archivedAt: null, publishedVersionId: { not: null } },
    select: { publishedVersion: { select: { document: true } } },
  });
  const byId: Record<string, FlowDocument> = {};
  for (const flow of flows) {
    const document = flow.publishedVersion?.document as FlowDocument | undefined;
    if (document?.id) byId[document.id] = document;
  }
  return byId;
}

/** A turn of the test chat, compiled and ready to run (see {@link prepareTestTurn}). */
export interface PreparedTestTurn {
  readonly machine: MachineJson;
  readonly snapshot: PersistedSnapshot | null;
  readonly event: TurnEventInput;
  readonly conversationId: string;
  readonly botId: string;
}

/** What the test chat shows when a turn is over. */
export type TestTurnResult = Pick<
  TurnResult,
  "messages" | "status" | "waitingFor" | "variables" | "trace" | "snapshot"
>;

/**
 * The events of one test turn, as they happen: each node entered, variable set and message sent
 * (the canvas highlights the node, the trace panel shows the variable), then exactly one `done`
 * with the whole result or one `error`.
 */
export type TestTurnEvent =
  | TraceEvent
  | { type: "done"; result: TestTurnResult }
  | { type: "error"; message: string };

/**
 * Compiles the designer's document (saved or not) for a test turn. Throws `flow-invalid` for a
 * draft that cannot run yet, before anything is streamed, so the caller gets a plain error.
 */
export function prepareTestTurn(input: {
  document: unknown;
  subflows: Record<string, FlowDocument>;
  snapshot: PersistedSnapshot | null;
  event: TurnEventInput;
  conversationId: string;
  botId: string;
}): PreparedTestTurn {
  let machine: MachineJson;
  try {
    const { [(input.document as { id?: string })?.id ?? ""]: _self, ...subflows } = input.subflows;
    machine = compile(input.document, { subflows });
  } catch (error) {
    if (error instanceof FlowCompileError) {
      throw new ServiceError("invalid", "flow-invalid", `The draft cannot run yet: ${error.message}`);
    }
    throw error;
  }
  return {
    machine,
    snapshot: input.snapshot,
    event: input.event,
    conversationId: input.conversationId,
    botId: input.botId,
  };
}

/** A queue between the engine's synchronous callbacks and an async generator (internal). */
function eventQueue<T>() {
  const items: T[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  return {
    push(item: T) {
      items.push(item);
      notify();
    },
    close() {
      closed = true;
      notify();
    },
    async *drain(): AsyncGenerator<T> {
      for (;;) {
        while (items.length > 0) yield items.shift() as T;
        if (closed) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

/**
 * Runs a prepared test turn and yields its events while it runs. A turn the engine refuses (a
 * snapshot of an older draft) ends with an `error` event; `signal` (the request's) cancels the
 * turn's effects when the designer goes away.
 */
export async function* streamTestTurn(
  turn: PreparedTestTurn,
  options: { ports: EnginePorts; signal?: AbortSignal },
): AsyncGenerator<TestTurnEvent> {
  const queue = eventQueue<TestTurnEvent>();
  const running = runTurn({
    machine: turn.machine,
    snapshot: turn.snapshot,
    event: turn.event,
    conversation: {
      id: turn.conversationId,
      botId: turn.botId,
      channel: "web",
      contactName: "Studio tester",
    },
    ports: options.ports,
    onTrace: (event) => queue.push(event),
    ...(options.signal ? { signal: options.signal } : {}),
  }).then(
    ({ messages, status, waitingFor, variables, trace, snapshot }) =>
      queue.push({ type: "done", result: { messages, status, waitingFor, variables, trace, snapshot } }),
    (error: unknown) =>
      queue.push({
        type: "error",
        message:
          error instanceof TurnInputError
            ? `The test conversation no longer fits the draft (${error.message}); restart it.`
            : `The turn failed: ${error instanceof Error ? error.message : String(error)}`,
      }),
  );
  void running.finally(() => queue.close());
  yield* queue.drain();
}
