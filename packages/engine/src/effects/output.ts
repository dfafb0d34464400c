import type { OutgoingMessage } from "@parley/contract";
import type { SystemValues } from "../interpret/context";
import { redactAddresses } from "./redact-addresses";

/**
 * What an effect actor resolves with: the output handle to take, variables and system values
 * to set, and messages to send. Expected failures resolve too (with the node's error handle
 * and `sys.lastError`), so the machine routes them like any other outcome.
 */
export interface EffectOutput {
  handle: string;
  vars?: Record<string, unknown>;
  sys?: Partial<SystemValues>;
  messages?: OutgoingMessage[];
}

/**
 * An expected failure: take `handle` and say why in `sys.lastError` (flows read it, so IP
 * addresses the platform resolved are left out).
 */
export function failure(handle: string, reason: string): EffectOutput {
  return { handle, sys: { lastError: redactAddresses(reason) } };
}

/** A short, secret-free description of an error for the trace and `sys.lastError`. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === "string") return error;
  return "unknown error";
}
