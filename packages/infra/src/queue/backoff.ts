import type { Backoff } from "./job-queue";

/**
 * Milliseconds to wait before the next run after `attemptsMade` failed runs (1 after the first
 * failure). Same formula as BullMQ's built-in strategies, so both queues space retries alike.
 */
export function backoffDelayMs(backoff: Backoff, attemptsMade: number): number {
  if (backoff.type === "fixed") return backoff.delayMs;
  return Math.round(backoff.delayMs * 2 ** Math.max(0, attemptsMade - 1));
}
