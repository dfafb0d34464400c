import type { RoutingIssue } from "./routing-preferences";

/** Thrown for input that is well-formed but inconsistent (unknown provider in a route, missing route...). */
export class ModelAdminError extends Error {
  override readonly name = "ModelAdminError";
  /** The input field the problem is about, when it is one (forms show the message there). */
  readonly field: string | undefined;
  /** Every problem by the dotted path of its field (the one of `field`, or several for routing inputs). */
  readonly issues: RoutingIssue[];
  constructor(message: string, options: { field?: string; issues?: RoutingIssue[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.field = options.field ?? options.issues?.[0]?.path;
    this.issues = options.issues ?? (options.field ? [{ path: options.field, message }] : []);
  }
}
