import type { AskInput as WireAskInput } from "@parley/contract";
import type { AskInput } from "@parley/flow-schema";
import { optionValue } from "./parse-answer";

function range(
  prefix: string,
  min: number | string | undefined,
  max: number | string | undefined,
  unit = "",
): string {
  if (min !== undefined && max !== undefined) return `${prefix} between ${min} and ${max}${unit}`;
  if (min !== undefined) return `${prefix} of at least ${min}${unit}`;
  if (max !== undefined) return `${prefix} of at most ${max}${unit}`;
  return prefix;
}

const described = new WeakMap<AskInput, WireAskInput>();

/**
 * The wire description of what an ask expects: control kind, human hint, choices. Memoised
 * per input object (machine JSON params are long-lived) and frozen.
 */
export function describeAskInput(input: AskInput): WireAskInput {
  let description = described.get(input);
  if (!description) {
    description = describe(input);
    // Shared by every message of this ask: frozen so no consumer can change another's copy.
    for (const choice of description.choices ?? []) Object.freeze(choice);
    Object.freeze(description.choices);
    Object.freeze(description);
    described.set(input, description);
  }
  return description;
}

function describe(input: AskInput): WireAskInput {
  switch (input.type) {
    case "text": {
      // Every answer has at least one character: a minimum of 1 says nothing worth showing.
      const min = input.minLength !== undefined && input.minLength > 1 ? input.minLength : undefined;
      return min !== undefined || input.maxLength !== undefined
        ? { kind: "text", hint: range("a text", min, input.maxLength, " characters") }
        : { kind: "text" };
    }
    case "number":
      return {
        kind: "number",
        hint: range(input.integer ? "a whole number" : "a number", input.min, input.max),
      };
    case "email":
      return {
        kind: "email",
        hint: "an e-mail address, like name@example.com",
        placeholder: "name@example.com",
      };
    case "phone":
      return {
        kind: "phone",
        hint: input.defaultCountry
          ? "a phone number"
          : "a phone number with country code, like +1 555 123 4567",
      };
    case "date": {
      const hint =
        input.min !== undefined || input.max !== undefined ? range("a date", input.min, input.max) : "a date";
      return { kind: "date", hint: `${hint}, like 2025-01-31`, placeholder: "YYYY-MM-DD" };
    }
    case "choice": {
      const labels = input.options.map((option) => option.label).join(", ");
      return {
        kind: "choice",
        hint: `${input.multiple ? "one or more of" : "one of"}: ${labels}`,
        choices: input.options.map((option) => ({ label: option.label, value: optionValue(option) })),
        multiple: input.multiple,
      };
    }
  }
}
