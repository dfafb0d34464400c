import type { VariableType } from "./variables";

/**
 * The namespace of built-in variables: templates and rules read them as `sys.<name>`
 * (`{{ sys.contactName }}`). Flows cannot declare a variable with this name, nor write to it.
 */
export const SYSTEM_VARIABLE_NAMESPACE = "sys";

/** A built-in variable the engine provides on every turn. */
export interface SystemVariable {
  /** Name under the `sys` namespace. */
  readonly name: string;
  /** Full path as used in templates and rules (`sys.channel`). */
  readonly path: string;
  /** Value type (unset values read as missing). */
  readonly type: VariableType;
  /** What the value holds. */
  readonly description: string;
}

function systemVariable(name: string, type: VariableType, description: string): SystemVariable {
  return { name, path: `${SYSTEM_VARIABLE_NAMESPACE}.${name}`, type, description };
}

/** Every built-in variable, read-only for flows. */
export const systemVariables: readonly SystemVariable[] = [
  systemVariable("conversationId", "string", "Id of the current conversation."),
  systemVariable("botId", "string", "Id of the bot."),
  systemVariable("flowId", "string", "Id of the flow being run (the subflow's id inside a subflow)."),
  systemVariable(
    "channel",
    "string",
    "Channel of the conversation: web, api, slack, whatsapp, messenger, teams.",
  ),
  systemVariable("contactId", "string", "Id of the contact (end customer)."),
  systemVariable("contactName", "string", "Display name of the contact, when known."),
  systemVariable(
    "language",
    "string",
    "Language of the conversation (BCP 47), default: the flow's language.",
  ),
  systemVariable("lastUserMessage", "string", "Text of the user's most recent message."),
  systemVariable("lastIntent", "string", "Name of the intent chosen by the most recent intent node."),
  systemVariable("lastIntentConfidence", "number", "Confidence (0..1) of the most recent intent."),
  systemVariable(
    "lastError",
    "string",
    "Reason of the most recent effect failure that took an error branch.",
  ),
  systemVariable("now", "date", "Current time (ISO 8601) at the start of the turn."),
];

const systemVariableNames = new Set(systemVariables.map((variable) => variable.name));

/**
 * True when `path` reads a built-in variable: `sys.<known name>` optionally followed by more
 * segments. The bare namespace `sys` (the whole object) also counts.
 */
export function isSystemVariablePath(path: string): boolean {
  const [root, name] = path.split(".");
  if (root !== SYSTEM_VARIABLE_NAMESPACE) return false;
  return name === undefined || systemVariableNames.has(name);
}
