import type { ComboboxOption } from "./combobox";

/** A suggestion of a {@link ComboboxInput}: a bare string is its own label. */
export type Suggestion = string | ComboboxOption;

/** At most this many suggestions are listed (a long list is typed into, not scrolled). */
export const SUGGESTION_LIMIT = 50;

/**
 * Suggestions as options (a bare string becomes `{ value, label }` with the same words), each value
 * once: the first wins (two contacts sharing a number are one choice of number).
 */
export function suggestionOptions(suggestions: readonly Suggestion[]): ComboboxOption[] {
  const seen = new Set<string>();
  const options: ComboboxOption[] = [];
  for (const suggestion of suggestions) {
    const option = typeof suggestion === "string" ? { value: suggestion, label: suggestion } : suggestion;
    if (seen.has(option.value)) continue;
    seen.add(option.value);
    options.push(option);
  }
  return options;
}

/**
 * The suggestions worth showing for what is typed: every one when nothing is typed (or `query` is
 * null: the list was opened, not typed into), else those whose value, label or keywords contain it
 * (case-insensitive), those starting with it first. None when the only match is the text itself:
 * a list repeating what the field already says is noise.
 */
export function matchingSuggestions(
  options: readonly ComboboxOption[],
  query: string | null,
  limit = SUGGESTION_LIMIT,
): ComboboxOption[] {
  const typed = (query ?? "").trim().toLowerCase();
  if (typed === "") return options.slice(0, limit);
  const words = (option: ComboboxOption) =>
    [option.value, option.label, ...(option.keywords ?? [])].map((word) => word.toLowerCase());
  const starts: ComboboxOption[] = [];
  const contains: ComboboxOption[] = [];
  for (const option of options) {
    const list = words(option);
    if (list.some((word) => word.startsWith(typed))) starts.push(option);
    else if (list.some((word) => word.includes(typed))) contains.push(option);
  }
  const matches = [...starts, ...contains];
  if (matches.every((option) => option.value.toLowerCase() === typed)) return [];
  return matches.slice(0, limit);
}
