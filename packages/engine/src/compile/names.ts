/**
 * Names of the implementations a compiled machine refers to. The compiler writes only these
 * names into machine JSON, the machine JSON Schema accepts only these names, and the interpreter
 * provides exactly one implementation per name (checked by the type of its tables).
 */

/** Actions: context updates (`assign`) and side effects (messages, trace, timers). */
export const actionNames = [
  "enterNode",
  "initConversation",
  "say",
  "resetRetries",
  "countRetry",
  "askPrompt",
  "saveAnswer",
  "noteUserMessage",
  "keepPendingMessage",
  "assignValues",
  "scheduleTimer",
  "requestTimer",
  "clearTimer",
  "announceHandoff",
  "resolveHandoff",
  "recordVariant",
  "assignEffectOutput",
  "emitEffectMessages",
  "noteFailure",
  "sayFallback",
  "enterSubflow",
  "exitSubflow",
  "finishConversation",
] as const;
/** Name of an action implementation. */
export type ActionName = (typeof actionNames)[number];

/** Guards: pure predicates over context, event and JSON params. */
export const guardNames = [
  "answerIsValid",
  "canRetry",
  "conditionGroupMatches",
  "abBucketIs",
  "effectHandleIs",
  "timerMatches",
] as const;
/** Name of a guard implementation. */
export type GuardName = (typeof guardNames)[number];

/** Actors: the effects, invoked as promise actors with JSON input. */
export const actorNames = [
  "evaluateAssignments",
  "httpRequest",
  "llmCall",
  "classifyIntent",
  "answerQuestion",
] as const;
/** Name of an actor implementation. */
export type ActorName = (typeof actorNames)[number];

/** Event types a compiled machine reacts to (the turn events). */
export const machineEventTypes = [
  "conversation.start",
  "user.text",
  "user.choice",
  "timer.fired",
  "handoff.resolved",
] as const;

/** Event descriptors a state can listen on: the event types, and `user.*` for any user message. */
export const machineEventDescriptors = [...machineEventTypes, "user.*"] as const;

/** Tags the interpreter reads to know why the machine stopped. */
export const stateTags = {
  /** The machine waits for an outside event: the turn is over. */
  waiting: "waiting",
  /** Waits for a user answer (ask). */
  ask: "ask",
  /** Waits for a timer (wait). */
  timer: "timer",
  /** Waits for a human agent (handoff). */
  handoff: "handoff",
} as const;

/** Keys of the engine's own states; `$` never appears in node ids, so they cannot clash. */
export const specialStates = {
  /** Before `conversation.start`. */
  boot: "$boot",
  /** The flow reached an unconnected handle: the conversation is complete. */
  done: "$done",
  /** Unrecoverable failure: the conversation ended with an error. */
  failed: "$failed",
  /** Sends the flow's fallback message, then continues at the fallback node or fails. */
  fallback: "$fallback",
  /** Final state of an inlined subflow: returns to the caller. */
  return: "$return",
} as const;
