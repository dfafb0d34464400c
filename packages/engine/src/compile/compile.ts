import { DEFAULT_FALLBACK_MESSAGE, type FlowDocument, parseFlowDocument } from "@parley/flow-schema";
import { hash53 } from "../util/hash";
import { type CompileProblem, FlowCompileError } from "./errors";
import { compileFlowStates } from "./flow-states";
import type { MachineJson, MachineStateNode } from "./machine-schema";
import { specialStates, stateTags } from "./names";
import { doneState, failedState } from "./nodes/logic";
import { action } from "./params";
import { FlowScope } from "./scope";
import { stateKeyOf } from "./state-key";

/** Options of {@link compile}. */
export interface CompileOptions {
  /**
   * Documents of the flows that subflow nodes call, keyed by flow id (normally the published
   * version of each). They are inlined; a missing one or a recursive call is a compile error.
   */
  subflows?: Readonly<Record<string, unknown>>;
  /** Timeout for effects whose node has no setting of its own (intent classification). Default 10 s. */
  defaultEffectTimeoutMs?: number;
  /** XState microstep limit per event; a loop that never waits fails the turn instead of hanging. Default 10,000. */
  maxIterations?: number;
}

/** Parses (migrating older versions) one document; its problems are prefixed with `prefix`. */
function parseDocument(input: unknown, prefix: string[], problems: CompileProblem[]): FlowDocument | null {
  const parsed = parseFlowDocument(input);
  if (parsed.ok) return parsed.flow;
  for (const problem of parsed.problems) problems.push({ ...problem, path: [...prefix, ...problem.path] });
  return null;
}

/**
 * Compiles a flow document into machine JSON: a plain-JSON XState 5 machine config whose
 * actions, guards and actors are referenced by name with JSON params (see `machineSchema`).
 *
 * - One state per node (key: the node id, `.` written as `~`), transitions through the named
 *   output handles; an unconnected failure handle goes to the flow's fallback, any other
 *   unconnected handle ends the flow.
 * - Deterministic: the same document (and subflows) gives the same bytes; nodes are emitted in
 *   id order and `version` is a hash of the content.
 * - Accepts an untrusted document (parsed JSON): it is migrated and parsed by flow-schema's
 *   `parseFlowDocument`. Throws {@link FlowCompileError} listing every problem when it is not a
 *   valid flow or cannot be compiled (no start or several, dangling edges, missing jump targets,
 *   unknown or recursive subflows). Other semantic issues are `validateFlow`'s business.
 */
export function compile(flow: unknown, options: CompileOptions = {}): MachineJson {
  const problems: CompileProblem[] = [];
  const root = parseDocument(flow, [], problems);
  const subflows = new Map<string, FlowDocument>();
  for (const [flowId, document] of Object.entries(options.subflows ?? {})) {
    const parsed = parseDocument(document, ["subflows", flowId], problems);
    if (parsed) subflows.set(flowId, parsed);
  }
  if (!root) throw new FlowCompileError(problems);

  const scope = new FlowScope(
    root,
    true,
    [root.id],
    { subflows, defaultEffectTimeoutMs: options.defaultEffectTimeoutMs ?? 10_000 },
    problems,
  );
  const { initial, states } = compileFlowStates(scope);
  if (problems.length > 0) throw new FlowCompileError(problems);

  const declared = root.variables.map((variable) => variable.name);
  const defaults: Record<string, unknown> = {};
  for (const variable of root.variables)
    if (variable.default !== undefined) defaults[variable.name] = variable.default;

  const boot: MachineStateNode = {
    tags: [stateTags.waiting],
    on: {
      "conversation.start": [{ target: initial, actions: [action("initConversation", { declared })] }],
    },
  };
  const machine = {
    id: stateKeyOf(root.id),
    initial: specialStates.boot,
    context: { vars: defaults, sys: {}, rt: {} },
    options: { maxIterations: options.maxIterations ?? 10_000 },
    meta: {
      format: 1 as const,
      flowId: root.id,
      flowName: root.name,
      fallbackMessage: root.settings.fallback.message || DEFAULT_FALLBACK_MESSAGE,
    },
    states: {
      [specialStates.boot]: boot,
      ...states,
      [specialStates.done]: doneState(),
      [specialStates.failed]: failedState(),
    },
  };
  // The version hashes the machine's own bytes (the builders emit JSON only: no round trip).
  const text = JSON.stringify(machine);
  const version = `${hash53(text)}${(text.length % 0x10000).toString(16).padStart(4, "0")}`;
  const { id, ...rest } = machine;
  return { id, version, ...rest } as MachineJson;
}
