import { type AnswerResult, accept, reject } from "./result";

// biome-ignore format: a table reads better in rows
const MONTHS = [
  "january", "february", "march", "april", "may", "june",
  "july", "august", "september", "october", "november", "december",
];

function monthFromName(name: string): number | undefined {
  const lower = name.toLowerCase().replace(/\.$/, "");
  if (lower.length < 3) return undefined;
  const index = MONTHS.findIndex((month) => month.startsWith(lower));
  return index === -1 ? undefined : index + 1;
}

function isoDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || year < 1 || year > 9999) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  date.setUTCFullYear(year);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * Parses a calendar date into `YYYY-MM-DD`. Accepted: `2025-01-31` (also with `/` or `.`),
 * `31.01.2025`, `31 January 2025`, `January 31, 2025`, `Jan 31 2025`, and `d/m/y` or `m/d/y`
 * only when the order is unambiguous (one part above 12). Impossible dates are rejected.
 */
export function parseDate(text: string): AnswerResult {
  const value = text.trim().replace(/,/g, " ").replace(/\s+/g, " ");
  let match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(value);
  if (match) return toResult(isoDate(Number(match[1]), Number(match[2]), Number(match[3])));

  match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value);
  if (match) return toResult(isoDate(Number(match[3]), Number(match[2]), Number(match[1])));

  match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (match) {
    const first = Number(match[1]);
    const second = Number(match[2]);
    const year = Number(match[3]);
    if (first > 12 && second <= 12) return toResult(isoDate(year, second, first));
    if (second > 12 && first <= 12) return toResult(isoDate(year, first, second));
    return reject("ambiguous day and month: write the date like 2025-01-31");
  }

  match = /^(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z.]+) (\d{4})$/.exec(value);
  if (match) {
    const month = monthFromName(match[2]!);
    if (month) return toResult(isoDate(Number(match[3]), month, Number(match[1])));
  }
  match = /^([A-Za-z.]+) (\d{1,2})(?:st|nd|rd|th)? (\d{4})$/.exec(value);
  if (match) {
    const month = monthFromName(match[1]!);
    if (month) return toResult(isoDate(Number(match[3]), month, Number(match[2])));
  }
  return reject("not a date like 2025-01-31");
}

function toResult(iso: string | undefined): AnswerResult {
  return iso ? accept(iso) : reject("that date does not exist");
}
