import { z } from "zod";
import { actionNames, actorNames, guardNames, machineEventDescriptors } from "./names";

/**
 * The machine JSON: the subset of an XState 5 machine config the compiler emits. It is plain
 * JSON (no functions), references implementations by name with JSON params, and is what a
 * published flow version stores. `createMachine(json)` accepts it as is.
 */

/** Any JSON value (one shared instance so the JSON Schema defines it once). */
const jsonValue = z.json().meta({ id: "JsonValue" });
const jsonParams = z.record(z.string(), jsonValue);

/** A reference to a named action with JSON params. */
export const actionRefSchema = z.strictObject({ type: z.enum(actionNames), params: jsonParams.optional() });
/** A reference to a named guard with JSON params. */
export const guardRefSchema = z.strictObject({ type: z.enum(guardNames), params: jsonParams.optional() });

/** A transition: optional target (a sibling key or `#id`), guard and actions. */
export const transitionSchema = z.strictObject({
  target: z.string().min(1).optional(),
  /** Set on transitions from a state to itself, so its entry actions and effect run again. */
  reenter: z.literal(true).optional(),
  guard: guardRefSchema.optional(),
  actions: z.array(actionRefSchema).optional(),
});
/** A reference to a named action (params are JSON once compiled). */
export interface MachineActionRef {
  type: (typeof actionNames)[number];
  params?: Record<string, unknown>;
}

/** A reference to a named guard (params are JSON once compiled). */
export interface MachineGuardRef {
  type: (typeof guardNames)[number];
  params?: Record<string, unknown>;
}

/** A transition of the machine JSON. */
export interface MachineTransition {
  target?: string;
  reenter?: true;
  guard?: MachineGuardRef;
  actions?: MachineActionRef[];
}

/** An invoked effect: a named promise actor with JSON input and its done/error transitions. */
export const invokeSchema = z.strictObject({
  id: z.string().min(1),
  src: z.enum(actorNames),
  input: jsonParams,
  onDone: z.array(transitionSchema),
  onError: z.array(transitionSchema),
});

/** A state node. Compound states (inlined subflows) nest `states`. */
export interface MachineStateNode {
  id?: string;
  type?: "final";
  tags?: string[];
  entry?: MachineActionRef[];
  always?: MachineTransition[];
  on?: Partial<Record<(typeof machineEventDescriptors)[number], MachineTransition[]>>;
  invoke?: {
    id: string;
    src: (typeof actorNames)[number];
    input: Record<string, unknown>;
    onDone: MachineTransition[];
    onError: MachineTransition[];
  };
  initial?: string;
  states?: Record<string, MachineStateNode>;
  onDone?: MachineTransition[];
}

/** A state node of the machine JSON (recursive). */
export const stateNodeSchema: z.ZodType<MachineStateNode> = z.lazy(() =>
  z
    .strictObject({
      id: z.string().min(1).optional(),
      type: z.literal("final").optional(),
      tags: z.array(z.string()).optional(),
      entry: z.array(actionRefSchema).optional(),
      always: z.array(transitionSchema).optional(),
      on: z.partialRecord(z.enum(machineEventDescriptors), z.array(transitionSchema)).optional(),
      invoke: invokeSchema.optional(),
      initial: z.string().min(1).optional(),
      states: z.record(z.string(), stateNodeSchema).optional(),
      onDone: z.array(transitionSchema).optional(),
    })
    .meta({ id: "MachineStateNode" }),
);

/** The initial context: declared variable defaults, empty system values and bookkeeping. */
export const machineContextSchema = z.strictObject({
  vars: z.record(z.string(), jsonValue),
  sys: z.record(z.string(), jsonValue),
  rt: z.record(z.string(), jsonValue),
});

/** The compiled machine (what `compile` returns and published versions store). */
export const machineSchema = z
  .strictObject({
    id: z.string().min(1),
    /** Content hash of the compiled machine: equal versions are equal machines. */
    version: z.string().min(1),
    initial: z.string().min(1),
    context: machineContextSchema,
    /** XState guard against eventless loops that never settle. */
    options: z.strictObject({ maxIterations: z.number().int().positive() }),
    meta: z.strictObject({
      /** Format of this JSON; bumped when the compiler changes shape incompatibly. */
      format: z.literal(1),
      flowId: z.string(),
      flowName: z.string(),
      /** Message sent when a turn fails in a way no node or fallback handles. */
      fallbackMessage: z.string(),
    }),
    states: z.record(z.string(), stateNodeSchema),
  })
  .meta({ id: "ParleyMachine", title: "Parley compiled machine" });

/** The compiled machine JSON. */
export type MachineJson = z.infer<typeof machineSchema>;
