/**
 * Readable field problems from a failed zod parse, shared by the runtime's request parsing and core's
 * input checks so both sides word a bad input the same way.
 */

import type { FieldProblem } from "./problem";

/** The structural part of a zod issue this module reads (zod's own issue type satisfies it). */
export interface ParseIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
  /** For `invalid_union`: the problems of each alternative that was tried. */
  readonly errors?: readonly (readonly ParseIssue[])[];
}

/**
 * A union's "Invalid input" says nothing: replaces each union issue by the problems of the
 * alternative that came closest (the fewest problems), with paths under the union's own.
 *
 * @example
 * ```ts
 * const body = z.union([z.object({ a: z.string() }), z.object({ b: z.number() })]);
 * closestIssues(body.safeParse({ a: 1 }).error!.issues);
 * // [{ path: ["a"], message: "Invalid input: expected string, received number", ... }]
 * ```
 */
export function closestIssues(issues: readonly ParseIssue[]): ParseIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== "invalid_union" || !issue.errors || issue.errors.length === 0) return [issue];
    const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
    return closestIssues(closest.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })));
  });
}

/**
 * Field problems with dotted paths, unions read as their closest alternative.
 *
 * @example
 * ```ts
 * fieldProblems(schema.safeParse(input).error!.issues, "query");
 * // [{ path: "query.limit", message: "Too big: expected number to be <=200" }]
 * ```
 */
export function fieldProblems(issues: readonly ParseIssue[], prefix = ""): FieldProblem[] {
  return closestIssues(issues).map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join(".") || "(body)",
    message: issue.message,
  }));
}
