import type { AnyEventObject } from "xstate";
import type { EffectOutput } from "../effects/output";
import type { UserAnswer } from "./answers/parse-answer";

/** The user's answer carried by a `user.text` or `user.choice` event. */
export function userAnswerOf(event: AnyEventObject): UserAnswer {
  if (event.type === "user.choice" && Array.isArray(event.values))
    return { values: event.values as string[] };
  return { text: typeof event.text === "string" ? event.text : "" };
}

/** The output of an effect actor carried by its done event. */
export function effectOutputOf(event: AnyEventObject): EffectOutput | undefined {
  const output = (event as { output?: unknown }).output;
  return output !== null && typeof output === "object" && "handle" in output
    ? (output as EffectOutput)
    : undefined;
}

/** The error carried by an actor's error event. */
export function errorOf(event: AnyEventObject): unknown {
  return (event as { error?: unknown }).error;
}
