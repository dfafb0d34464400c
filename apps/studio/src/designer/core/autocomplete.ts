import { type FlowDocument, systemVariables } from "@parley/flow-schema";

/** An open `{{` placeholder the caret is in: where it starts and what has been typed after it. */
export interface TemplateQuery {
  /** Index just after the `{{`. */
  readonly from: number;
  /** The typed path so far, without surrounding spaces (may be empty). */
  readonly text: string;
}

/** A variable offered by the autocomplete. */
export interface VariableSuggestion {
  readonly path: string;
  readonly type: string;
  readonly detail: string;
}

/**
 * The placeholder being typed at `caret`: the nearest `{{` before the caret that is not closed
 * before it, followed only by characters a variable path may contain. Null when the caret is not
 * inside an unfinished placeholder.
 */
export function templateQueryAt(text: string, caret: number): TemplateQuery | null {
  const before = text.slice(0, caret);
  const open = before.lastIndexOf("{{");
  if (open === -1) return null;
  const typed = before.slice(open + 2);
  if (typed.includes("}}")) return null;
  if (!/^\s*[A-Za-z0-9_.]*$/.test(typed)) return null;
  return { from: open + 2, text: typed.trim() };
}

/** Every path a template may read: the flow's variables, then the `sys.*` variables. */
export function variableSuggestions(doc: Pick<FlowDocument, "variables">): VariableSuggestion[] {
  return [
    ...doc.variables.map((v) => ({
      path: v.name,
      type: v.type,
      detail: v.description ?? `${v.scope} variable`,
    })),
    ...systemVariables.map((v) => ({ path: v.path, type: v.type, detail: v.description })),
  ];
}

/** Suggestions matching a query: prefix matches first, then substring matches. */
export function filterSuggestions(
  all: readonly VariableSuggestion[],
  query: string,
  limit = 12,
): VariableSuggestion[] {
  const q = query.toLowerCase();
  const prefix = all.filter((s) => s.path.toLowerCase().startsWith(q));
  const inner = all.filter((s) => !s.path.toLowerCase().startsWith(q) && s.path.toLowerCase().includes(q));
  return [...prefix, ...inner].slice(0, limit);
}

/**
 * Completes the placeholder at `query` with `path`: replaces what was typed and closes the braces
 * when they are not closed already. Returns the new text and where the caret goes.
 */
export function applySuggestion(
  text: string,
  caret: number,
  query: TemplateQuery,
  path: string,
): { text: string; caret: number } {
  const head = text.slice(0, query.from);
  const after = text.slice(caret);
  if (/^\s*}}/.test(after)) {
    const inserted = ` ${path} `;
    return { text: `${head}${inserted}${after.trimStart()}`, caret: head.length + inserted.length + 2 };
  }
  const inserted = ` ${path} }}`;
  return { text: `${head}${inserted}${after}`, caret: head.length + inserted.length };
}
