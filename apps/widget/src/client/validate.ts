import type { AskInput } from "./types";

/** The input kinds a typed answer can have (choices are picked, not typed). */
export type TypedKind = Exclude<AskInput["kind"], "choice">;

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const phonePattern = /^\+?[\d\s().-]{6,20}$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks a typed answer before it is sent, so the visitor gets an immediate hint. The server
 * validates again (and answers with the flow's retry prompt); this only catches obvious typos.
 * Returns an error message, or undefined when the value looks acceptable.
 */
export function validateAnswer(kind: AskInput["kind"], raw: string): string | undefined {
  const value = raw.trim();
  if (!value) return "Please enter an answer.";
  switch (kind) {
    case "email":
      return emailPattern.test(value) ? undefined : "Please enter an email address, like name@example.com.";
    case "phone":
      return phonePattern.test(value) && /\d{6}/.test(value.replace(/\D/g, ""))
        ? undefined
        : "Please enter a phone number, like +1 555 123 4567.";
    case "number":
      return Number.isFinite(Number(value.replace(",", "."))) ? undefined : "Please enter a number.";
    case "date":
      return datePattern.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : "Please enter a date as YYYY-MM-DD.";
    default:
      return undefined;
  }
}

/** HTML input attributes that bring up the right keyboard and browser validation for a kind. */
export function inputAttributes(kind: AskInput["kind"]): {
  type: string;
  inputMode?: string;
  autoComplete?: string;
} {
  switch (kind) {
    case "email":
      return { type: "email", inputMode: "email", autoComplete: "email" };
    case "phone":
      return { type: "tel", inputMode: "tel", autoComplete: "tel" };
    case "number":
      return { type: "text", inputMode: "decimal" };
    case "date":
      return { type: "date" };
    default:
      return { type: "text" };
  }
}
