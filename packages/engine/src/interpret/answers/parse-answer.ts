import type { AskInput, ChoiceOption } from "@parley/flow-schema";
import { parseDate } from "./date";
import { parseNumber } from "./number";
import { parsePhone } from "./phone";
import { type AnswerResult, accept, reject } from "./result";

/** What the user sent: typed text, or picked option values. */
export type UserAnswer = { text: string } | { values: string[] };

const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,}$/;

/** The value an option saves. */
export function optionValue(option: ChoiceOption): string {
  return option.value ?? option.label;
}

/** The answer as one text (picked values joined), for non-choice asks and the transcript. */
export function answerText(answer: UserAnswer): string {
  return "text" in answer ? answer.text : answer.values.join(", ");
}

function findOption(options: readonly ChoiceOption[], token: string): ChoiceOption | undefined {
  const wanted = token.trim().toLowerCase();
  if (wanted === "") return undefined;
  const byText = options.find(
    (option) =>
      option.label.toLowerCase() === wanted ||
      optionValue(option).toLowerCase() === wanted ||
      option.id.toLowerCase() === wanted,
  );
  if (byText) return byText;
  // "2" picks the second option on channels without buttons (only when no option is literally "2").
  if (/^\d{1,2}$/.test(wanted)) return options[Number(wanted) - 1];
  return undefined;
}

function parseChoice(input: Extract<AskInput, { type: "choice" }>, answer: UserAnswer): AnswerResult {
  const tokens =
    "values" in answer
      ? answer.values
      : input.multiple
        ? answer.text.split(/\s*(?:,|;|\band\b|&)\s*/i).filter((token) => token.trim() !== "")
        : [answer.text];
  if (tokens.length === 0) return reject("no option picked");
  const picked = new Set<ChoiceOption>();
  for (const token of tokens) {
    const option = findOption(input.options, token);
    if (!option) return reject(`"${token.trim()}" is not one of the options`);
    picked.add(option);
  }
  if (!input.multiple) {
    if (picked.size !== 1) return reject("pick exactly one option");
    return accept(optionValue([...picked][0]!));
  }
  // Saved in the options' order, whatever order they were picked in.
  return accept(input.options.filter((option) => picked.has(option)).map(optionValue));
}

/**
 * Validates and normalises an answer for an ask: the value to save (trimmed text, a number,
 * a lower-cased e-mail domain, an E.164 phone number, a `YYYY-MM-DD` date, an option value or
 * a list of them) or the reason it is invalid. Pure: the guard and the save action both call it.
 */
export function parseAnswer(input: AskInput, answer: UserAnswer): AnswerResult {
  if (input.type === "choice") return parseChoice(input, answer);
  const text = answerText(answer).trim();
  if (text === "") return reject("empty answer");
  switch (input.type) {
    case "text": {
      if (input.minLength !== undefined && text.length < input.minLength) return reject("too short");
      if (input.maxLength !== undefined && text.length > input.maxLength) return reject("too long");
      return accept(text);
    }
    case "number": {
      const result = parseNumber(text);
      if (!result.ok) return result;
      const value = result.value as number;
      if (input.integer && !Number.isInteger(value)) return reject("not a whole number");
      if (input.min !== undefined && value < input.min) return reject(`less than ${input.min}`);
      if (input.max !== undefined && value > input.max) return reject(`more than ${input.max}`);
      return result;
    }
    case "email": {
      if (text.length > 254 || !EMAIL.test(text)) return reject("not an e-mail address");
      const at = text.lastIndexOf("@");
      return accept(`${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}`);
    }
    case "phone":
      return parsePhone(text, input.defaultCountry);
    case "date": {
      const result = parseDate(text);
      if (!result.ok) return result;
      const value = result.value as string;
      if (input.min !== undefined && value < input.min) return reject(`before ${input.min}`);
      if (input.max !== undefined && value > input.max) return reject(`after ${input.max}`);
      return result;
    }
  }
}
