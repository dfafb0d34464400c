import { createApiKeyInputSchema } from "@parley/contract";
import type { FieldPath } from "react-hook-form";
import { z } from "zod";
import { listText } from "../../components/ui/form-controls";

/*
 * The new-API-key form, checked with the contract's create input: the expiry typed as a day, the
 * address ranges as text, each read into the contract's value.
 */

/** The end of a day (`2027-03-31`, as a date input gives it) in the browser's time zone, as ISO. */
export function endOfDay(day: string): string {
  const end = new Date(`${day}T23:59:59`);
  // Not a date: given as typed, so the contract's date-time check names the problem.
  return Number.isNaN(end.getTime()) ? day : end.toISOString();
}

/** Address ranges typed separated by commas, spaces or new lines, blanks dropped. */
export function rangesOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((range) => range.trim())
    .filter(Boolean);
}

/** The form: each field named as the contract's, so the server's problems land on it by path. */
export const apiKeyForm = z.object({
  name: createApiKeyInputSchema.shape.name,
  scopes: createApiKeyInputSchema.shape.scopes,
  /** The last day the key works ("" = never expires). */
  expiresAt: z
    .string()
    .transform((day) => (day === "" ? undefined : endOfDay(day)))
    .pipe(createApiKeyInputSchema.shape.expiresAt),
  allowedCidrs: listText(rangesOf, createApiKeyInputSchema.shape.allowedCidrs),
});
/** What the new-key form holds. */
export type ApiKeyValues = z.input<typeof apiKeyForm>;

const FIELDS: ReadonlySet<string> = new Set(Object.keys(apiKeyForm.shape));

/**
 * The form field that shows a server problem: a list's item problems (`allowedCidrs.1`, `scopes.0`)
 * are the list's field's; `undefined` for the rest (the banner's).
 */
export function apiKeyFieldOf(path: string): FieldPath<ApiKeyValues> | undefined {
  const field = path.split(".")[0] ?? "";
  return FIELDS.has(field) ? (field as FieldPath<ApiKeyValues>) : undefined;
}
