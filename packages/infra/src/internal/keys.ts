import { z } from "zod";
import { InfraError } from "./infra-error";

/**
 * Key layout shared by every Redis-backed component. All keys start with the deployment's prefix
 * (default `parley:`) followed by a short component tag, so several deployments or test runs can
 * share one Redis and be cleaned up with one `SCAN MATCH prefix*`.
 */

/** Characters allowed in a key prefix: safe in Redis keys, BullMQ prefixes and log lines. */
export const keyPrefixSchema = z
  .string()
  .max(100)
  .regex(/^[A-Za-z0-9:_.-]*$/, "may contain only letters, digits, ':', '_', '.' and '-'");

/** Longest caller key accepted; longer keys are almost always a bug (a payload used as a key). */
const MAX_KEY_LENGTH = 1024;

/**
 * Checks a caller-supplied key (cache key, lock key, rate-limit key) and returns it unchanged.
 * @throws InfraError `INVALID_KEY` naming the component and what is wrong.
 */
export function assertKey(key: unknown, component: string): string {
  if (typeof key !== "string" || key.length === 0) {
    throw new InfraError("INVALID_KEY", `${component} key must be a non-empty string, got ${describe(key)}`);
  }
  if (key.length > MAX_KEY_LENGTH) {
    throw new InfraError(
      "INVALID_KEY",
      `${component} key is ${key.length} characters long; the limit is ${MAX_KEY_LENGTH}`,
    );
  }
  return key;
}

/** Longest duration Node timers can represent (about 24.8 days). */
const MAX_DURATION_MS = 2_147_483_647;

/**
 * Checks a duration in milliseconds (TTL, lease, wait) and returns it.
 * @throws InfraError `INVALID_DURATION` naming the option.
 */
export function assertDurationMs(value: unknown, option: string, { allowZero = false } = {}): number {
  const ok =
    typeof value === "number" &&
    Number.isInteger(value) &&
    value >= (allowZero ? 0 : 1) &&
    value <= MAX_DURATION_MS;
  if (!ok) {
    const expected = allowZero ? "an integer >= 0" : "a positive integer";
    throw new InfraError(
      "INVALID_DURATION",
      `${option} must be ${expected} (milliseconds, at most ${MAX_DURATION_MS}), got ${describe(value)}`,
    );
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === "string") return `a string of length ${value.length}`;
  if (value === null) return "null";
  return typeof value === "number" ? String(value) : typeof value;
}
