import { z } from "zod";
import type { PlatformAdapter, PlatformType } from "../platform-adapter";

/**
 * The adapter of a platform whose integration is not built yet: connecting it fails with a clear
 * error and every webhook is refused, so nothing half-works (replaced by the real adapter).
 */
export function unavailableAdapter(
  type: PlatformType,
): PlatformAdapter<Record<string, unknown>, Record<string, unknown>> {
  const reason = `the ${type} channel is not yet available in this version`;
  const refuse = z.record(z.string(), z.unknown()).superRefine((_value, issue) => {
    issue.addIssue({ code: "custom", message: reason });
  });
  return {
    type,
    credentialsSchema: refuse,
    settingsSchema: z.record(z.string(), z.unknown()),
    handshake: () => null,
    verify: async () => ({ ok: false, status: 403, reason }),
    parse: () => [],
    render: () => [],
    send: async () => ({ ok: false, retryable: false, error: reason }),
  };
}
