/**
 * Reads a dotted path (`order.items.0.name`, or its segments) from a variables object. Only own
 * properties of plain objects and numeric indexes of arrays are followed, so `constructor`,
 * `__proto__` or `length` never leak through; anything else gives `undefined`.
 */
export function lookupPath(variables: unknown, path: string | readonly string[]): unknown {
  const segments = typeof path === "string" ? path.split(".") : path;
  let current: unknown = variables;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else if (typeof current === "object" && current !== null && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return current;
}
