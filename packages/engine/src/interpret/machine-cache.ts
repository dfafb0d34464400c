import { type AnyStateMachine, createMachine } from "xstate";
import { type MachineJson, machineSchema } from "../compile/machine-schema";
import { actionImplementations } from "./actions";
import { actorImplementations } from "./actors";
import { guardImplementations } from "./guards";

/** The machine JSON does not match `machineSchema`. */
export class InvalidMachineError extends Error {
  override readonly name = "InvalidMachineError";
}

const byObject = new WeakMap<object, AnyStateMachine>();
const byVersion = new Map<string, AnyStateMachine>();
const VERSION_CACHE_LIMIT = 200;

/**
 * `createMachine(json).provide({ actions, guards, actors })`, built once per machine version.
 * The implementations are shared: each finds its turn's ports and output through the actor
 * system (see `sessionOf`), so a built machine can serve every conversation. Machine JSON is
 * validated against `machineSchema` the first time a version is seen.
 */
export function machineFor(json: MachineJson): AnyStateMachine {
  const cached = byObject.get(json);
  if (cached) return cached;
  const key = `${json.id}@${json.version}`;
  let machine = byVersion.get(key);
  if (!machine) {
    const parsed = machineSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidMachineError(
        `machine JSON is not valid at ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "unknown problem"}`,
      );
    }
    if (!(parsed.data.initial in parsed.data.states)) {
      throw new InvalidMachineError(`machine JSON has no initial state "${parsed.data.initial}"`);
    }
    try {
      // XState's config types are generic over implementations; ours are provided by name below.
      machine = createMachine(parsed.data as never).provide({
        actions: actionImplementations as never,
        guards: guardImplementations as never,
        actors: actorImplementations as never,
      });
    } catch (error) {
      throw new InvalidMachineError(`machine JSON is not a valid state machine: ${(error as Error).message}`);
    }
    if (byVersion.size >= VERSION_CACHE_LIMIT) {
      const oldest = byVersion.keys().next().value;
      if (oldest !== undefined) byVersion.delete(oldest);
    }
    byVersion.set(key, machine);
  }
  byObject.set(json, machine);
  return machine;
}
