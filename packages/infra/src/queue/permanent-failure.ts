import { PermanentJobError } from "./job-queue";

/**
 * Whether a handler's error means "do not retry" (internal). Checks the name as well as the class,
 * so an error from another copy of this package (or BullMQ's `UnrecoverableError`) counts too.
 */
export function isPermanentFailure(error: unknown): boolean {
  if (error instanceof PermanentJobError) return true;
  const name = (error as { name?: unknown } | null)?.name;
  return name === "PermanentJobError" || name === "UnrecoverableError";
}
