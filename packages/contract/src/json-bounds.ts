/** How deep and how large a client-supplied JSON value may be. */
export interface JsonBounds {
  /** Deepest nesting of arrays/objects (a scalar is depth 0, `[1]` depth 1). */
  readonly maxDepth: number;
  /** Largest size of the value serialized as JSON, in bytes (UTF-8). */
  readonly maxBytes: number;
}

/**
 * Why `value` exceeds `bounds`, or `undefined` when it fits. The depth is measured without
 * recursion, so a 20,000-deep array is refused here instead of overflowing the stack of whatever
 * (JSON.stringify, structuredClone, the database driver) touches it later; the size is measured
 * only once the depth is known to be small.
 * @example
 * jsonBoundsProblem([[[[1]]]], { maxDepth: 2, maxBytes: 1024 }); // "nested deeper than 2 levels"
 */
export function jsonBoundsProblem(value: unknown, bounds: JsonBounds): string | undefined {
  const depth = jsonDepthProblem(value, bounds.maxDepth);
  if (depth) return depth;
  const bytes = new TextEncoder().encode(JSON.stringify(value) ?? "").length;
  if (bytes > bounds.maxBytes) return `larger than ${bounds.maxBytes} bytes as JSON (${bytes})`;
  return undefined;
}

/** Why `value` nests deeper than `maxDepth` levels, or `undefined`; iterative, so any depth is safe. */
export function jsonDepthProblem(value: unknown, maxDepth: number): string | undefined {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop() as { value: unknown; depth: number };
    if (typeof current !== "object" || current === null) continue;
    if (depth + 1 > maxDepth) return `nested deeper than ${maxDepth} levels`;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === "object" && child !== null) pending.push({ value: child, depth: depth + 1 });
    }
  }
  return undefined;
}
