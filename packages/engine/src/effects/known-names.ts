import type { FlowContext } from "../interpret/context";

/** Variable names (lower-cased, `_`/`-` dropped) that hold a person's name. */
const NAME_VARIABLES = new Set([
  "name",
  "username",
  "nickname",
  "displayname",
  "contactname",
  "customername",
  "clientname",
  "guestname",
  "patientname",
]);

/** Endings that make any variable a name (`customer_first_name`, `guestSurname`...). */
const NAME_ENDINGS = [
  "firstname",
  "lastname",
  "fullname",
  "givenname",
  "familyname",
  "middlename",
  "surname",
];

/** Longest value taken as a name: longer text is a sentence, not a name. */
const MAX_NAME_LENGTH = 100;
/** Most names passed per call (the masker's work grows with them). */
const MAX_NAMES = 50;

function isNameVariable(variable: string): boolean {
  const normalised = variable.toLowerCase().replace(/[_-]/g, "");
  return NAME_VARIABLES.has(normalised) || NAME_ENDINGS.some((ending) => normalised.endsWith(ending));
}

/**
 * The personal names the conversation knows, for masking before a prompt leaves the platform
 * (`LlmCallOptions.knownNames`). The rule (flow-schema has no "personal" flag on variables):
 * - string variables named like a person's name: `name`, `first_name`, `lastName`, `full_name`,
 *   `surname`, `customer_name`, `contact_name`... (see NAME_VARIABLES and NAME_ENDINGS; case,
 *   `_` and `-` ignored), in the current flow and in the callers of a subflow;
 * - the contact's name the conversation was started with (`sys.contactName`, the channel's or
 *   API's `user.name`);
 * - each value whole and each of its words of two letters or more, so "Jane" is masked when the
 *   variable holds "Jane Doe".
 */
export function knownNamesOf(context: FlowContext): string[] {
  const names = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value !== "string") return;
    const trimmed = value.trim();
    if (trimmed.length < 2 || trimmed.length > MAX_NAME_LENGTH) return;
    names.add(trimmed);
    for (const word of trimmed.split(/[^\p{L}\p{M}'’-]+/u)) if (word.length >= 2) names.add(word);
  };
  const scopes = [context.vars, ...(context.rt.stack ?? []).map((frame) => frame.vars)];
  for (const vars of scopes) {
    for (const [variable, value] of Object.entries(vars)) if (isNameVariable(variable)) add(value);
  }
  add(context.env?.contactName);
  return [...names].slice(0, MAX_NAMES);
}
