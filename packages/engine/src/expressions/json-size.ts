/**
 * The JSON size of `value` in UTF-16 code units (as `JSON.stringify(value).length` would give,
 * strings counted without escapes), or `Infinity` as soon as it passes `limit`. Iterative, so a
 * deeply nested value cannot overflow the stack, and it stops early, so a huge value costs only
 * `limit` work: use it before serialising anything an expression built.
 */
export function jsonSizeWithin(value: unknown, limit: number): number {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === "string") size += item.length + 2;
    else if (typeof item === "number" || typeof item === "boolean") size += String(item).length;
    else if (item === null || item === undefined) size += 4;
    else if (Array.isArray(item)) {
      size += 2 + item.length;
      for (let index = 0; index < item.length && size <= limit; index += 1) stack.push(item[index]);
    } else if (typeof item === "object") {
      const entries = Object.keys(item as object);
      size += 2 + entries.length;
      for (const key of entries) {
        size += key.length + 3;
        if (size > limit) break;
        stack.push((item as Record<string, unknown>)[key]);
      }
    }
    if (size > limit) return Number.POSITIVE_INFINITY;
  }
  return size;
}

/** Depth and size of a plain JSON value, counted without recursion; stops at the first limit passed. */
export interface ValueShape {
  depth: number;
  size: number;
}

/**
 * Checks that `value` nests at most `maxDepth` levels and has a JSON size of at most `maxSize`;
 * returns a sentence saying which limit it passes, or null. Iterative: a 20,000-deep array is
 * refused, not a stack overflow.
 */
export function valueBoundsProblem(value: unknown, maxDepth: number, maxSize: number): string | null {
  const stack: { item: unknown; depth: number }[] = [{ item: value, depth: 0 }];
  let size = 0;
  while (stack.length > 0) {
    const { item, depth } = stack.pop() as { item: unknown; depth: number };
    if (depth > maxDepth) return `nests deeper than ${maxDepth} levels`;
    if (typeof item === "string") size += item.length + 2;
    else if (Array.isArray(item)) {
      size += 2 + item.length;
      if (size <= maxSize) for (const child of item) stack.push({ item: child, depth: depth + 1 });
    } else if (item !== null && typeof item === "object") {
      const keys = Object.keys(item as object);
      size += 2 + keys.length;
      for (const key of keys) {
        size += key.length + 3;
        if (size > maxSize) break;
        stack.push({ item: (item as Record<string, unknown>)[key], depth: depth + 1 });
      }
    } else size += String(item).length;
    if (size > maxSize) return `is larger than ${maxSize} characters of JSON`;
  }
  return null;
}
