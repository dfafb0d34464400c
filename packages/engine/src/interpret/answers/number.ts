import { type AnswerResult, accept, reject } from "./result";

/**
 * Parses a number typed by a person: `42`, `-3.5`, `3,5` (decimal comma), `1,234.5` and
 * `1.234,5` (thousands separators), `1 000`. Returns the number or why it is not one.
 */
export function parseNumber(text: string): AnswerResult {
  let value = text.trim().replace(/[\s_']/g, "");
  if (!/^[+-]?[\d.,]+$/.test(value) || !/\d/.test(value)) return reject("not a number");
  const lastComma = value.lastIndexOf(",");
  const lastDot = value.lastIndexOf(".");
  if (lastComma !== -1 && lastDot !== -1) {
    // Both present: the later one is the decimal separator.
    value = lastComma > lastDot ? value.replace(/\./g, "").replace(",", ".") : value.replace(/,/g, "");
  } else if (lastComma !== -1) {
    value = /^[+-]?\d{1,3}(,\d{3})+$/.test(value) ? value.replace(/,/g, "") : value.replace(",", ".");
  } else if (/^[+-]?\d{1,3}(\.\d{3}){2,}$/.test(value)) {
    value = value.replace(/\./g, "");
  }
  if (!/^[+-]?(\d+(\.\d+)?|\.\d+)$/.test(value)) return reject("not a number");
  const number = Number(value);
  return Number.isFinite(number) ? accept(number) : reject("not a number");
}
