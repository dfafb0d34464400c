/** Kinds of personal data the masker recognises. */
export type PiiKind = "email" | "phone" | "card" | "iban" | "national_id" | "name";

/** A piece of personal data found in a text. */
export interface PiiMatch {
  kind: PiiKind;
  start: number;
  end: number;
  value: string;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// 13-19 digits, optionally grouped by single spaces or dashes.
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;
// Country code, check digits, then 11-30 alphanumerics, optionally in groups of four.
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g;
// US SSN, UK National Insurance number.
const NATIONAL_ID =
  /\b(?:\d{3}-\d{2}-\d{4}|[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D])\b/g;
// Optional +country, then 7-15 digits with spaces, dots, dashes or one pair of parentheses.
const PHONE = /(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,4}){2,4}(?![\w])/g;

/** Luhn checksum, as card numbers carry. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index--) {
    let digit = digits.charCodeAt(index) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/** ISO 13616 IBAN check (mod 97 = 1). */
export function isValidIban(candidate: string): boolean {
  const iban = candidate.replace(/ /g, "");
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function collect(
  text: string,
  pattern: RegExp,
  kind: PiiKind,
  accept: (value: string) => boolean,
): PiiMatch[] {
  const found: PiiMatch[] = [];
  for (const match of text.matchAll(pattern)) {
    if (accept(match[0]))
      found.push({ kind, start: match.index, end: match.index + match[0].length, value: match[0] });
  }
  return found;
}

/**
 * Finds personal data in `text`: e-mail addresses, IBANs (checksum), card numbers (Luhn), national
 * ids (US SSN, UK NINO), phone numbers (7-15 digits), and the given known names (whole words,
 * any case). Overlaps are resolved in that order of precedence, then by position.
 */
export function detectPii(
  text: string,
  kinds: ReadonlySet<PiiKind>,
  knownNames: readonly string[] = [],
): PiiMatch[] {
  const candidates: PiiMatch[] = [];
  if (kinds.has("email")) candidates.push(...collect(text, EMAIL, "email", () => true));
  if (kinds.has("iban")) candidates.push(...collect(text, IBAN, "iban", isValidIban));
  if (kinds.has("card")) {
    candidates.push(...collect(text, CARD, "card", (value) => passesLuhn(value.replace(/[ -]/g, ""))));
  }
  if (kinds.has("national_id")) candidates.push(...collect(text, NATIONAL_ID, "national_id", () => true));
  if (kinds.has("phone")) {
    candidates.push(
      ...collect(text, PHONE, "phone", (value) => {
        const digits = value.replace(/\D/g, "").length;
        return digits >= 7 && digits <= 15;
      }),
    );
  }
  if (kinds.has("name")) {
    const names = [...new Set(knownNames.map((name) => name.trim()).filter((name) => name.length >= 2))];
    // Longest first, so "Anna Maria" wins over "Anna".
    names.sort((a, b) => b.length - a.length);
    for (const name of names) {
      const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(name)}(?![\\p{L}\\p{N}])`, "giu");
      candidates.push(...collect(text, pattern, "name", () => true));
    }
  }
  // Earlier entries have precedence; a later match overlapping a kept one is dropped.
  const kept: PiiMatch[] = [];
  for (const candidate of candidates) {
    if (kept.every((other) => candidate.end <= other.start || candidate.start >= other.end))
      kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start);
}
