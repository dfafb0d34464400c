/** Keys of a flow document that name a model route: nodes' `modelRoute`, settings' `defaultModelRoute`. */
const ROUTE_KEYS: ReadonlySet<string> = new Set(["modelRoute", "defaultModelRoute"]);

/**
 * The model route names a flow document asks for (llm, knowledge and intent nodes' `modelRoute`, the
 * flow's `settings.defaultModelRoute`), sorted and without duplicates. Takes the raw JSON, not a
 * parsed document, because a draft that does not parse yet still names routes an admin must not
 * break by renaming or deleting them.
 *
 * @example
 * modelRoutesOf(flow.draft); // ["cheap", "smart"]
 */
export function modelRoutesOf(document: unknown): string[] {
  const names = new Set<string>();
  collect(document, names);
  return [...names].sort();
}

function collect(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, into);
    return;
  }
  if (!value || typeof value !== "object") return;
  for (const [key, child] of Object.entries(value)) {
    if (ROUTE_KEYS.has(key) && typeof child === "string" && child.trim()) into.add(child);
    else collect(child, into);
  }
}
