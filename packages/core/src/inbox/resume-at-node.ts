import type { MachineJson } from "@parley/engine";
import type { LoadedVersion } from "../conversations/versions";
import { ServiceError } from "../errors";

type StateNode = MachineJson["states"][string];

/** Node ids with `.` are state keys with `~` (the engine's mapping). */
const stateKeyOf = (nodeId: string): string => nodeId.replaceAll(".", "~");

function withoutHandBack(state: StateNode): StateNode {
  const copy = { ...state } as StateNode & {
    on?: Record<string, unknown>;
    states?: Record<string, StateNode>;
  };
  if (copy.on && "handoff.resolved" in copy.on) {
    const { "handoff.resolved": _dropped, ...rest } = copy.on;
    copy.on = rest;
  }
  if (copy.states) {
    copy.states = Object.fromEntries(
      Object.entries(copy.states).map(([key, child]) => [key, withoutHandBack(child)]),
    );
  }
  return copy;
}

const cache = new Map<string, LoadedVersion>();

/**
 * The version's machine changed so that `handoff.resolved` continues at `nodeId` (a node of the
 * entry flow) from whatever state the conversation waits in: every top-level state gets that one
 * transition (nested ones lose theirs, so the top-level one decides). The published version is
 * untouched; the derived machine has its own version string, so the engine caches it apart
 * (internal).
 * @throws ServiceError `node-not-found` when the flow has no such top-level node
 */
export function versionResumingAt(version: LoadedVersion, nodeId: string): LoadedVersion {
  const key = `${version.id}:${nodeId}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const target = stateKeyOf(nodeId);
  const states = version.machine.states;
  if (!(target in states) || target.startsWith("$")) {
    throw new ServiceError("invalid", "node-not-found", `the flow has no node "${nodeId}" to resume at`, {
      errors: [{ path: "nodeId", message: `no node "${nodeId}" in the conversation's flow version` }],
    });
  }
  const patched: Record<string, StateNode> = {};
  for (const [name, state] of Object.entries(states)) {
    const clean = withoutHandBack(state) as StateNode & { type?: string; on?: Record<string, unknown> };
    patched[name] =
      clean.type === "final"
        ? clean
        : ({
            ...clean,
            on: {
              ...(clean.on ?? {}),
              "handoff.resolved": [{ target, actions: [{ type: "resolveHandoff" }] }],
            },
          } as StateNode);
  }
  const machine = { ...version.machine, version: `${version.machine.version}@${target}`, states: patched };
  const derived: LoadedVersion = { ...version, machine: machine as MachineJson };
  cache.set(key, derived);
  if (cache.size > 200) cache.delete(cache.keys().next().value as string);
  return derived;
}
