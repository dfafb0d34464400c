import { assertDurationMs } from "../internal/keys";
import type { Lock } from "./lock";

/** What a backend supplies to build a {@link Lock} (internal). */
export interface LockHandleParts {
  key: string;
  token: string;
  fence: number;
  ttlMs: number;
  /** Epoch ms at or before which the lease started. */
  leaseStartedAt: number;
  release: () => Promise<boolean>;
  extend: (ttlMs: number) => Promise<boolean>;
}

/**
 * Builds the {@link Lock} both backends return (internal): keeps a local estimate of the lease end
 * and aborts `signal` when it passes, when an extension is refused, or on release.
 */
export function createLockHandle(parts: LockHandleParts): Lock {
  const controller = new AbortController();
  let expiryTimer: NodeJS.Timeout | undefined;
  const abort = (reason: string) => {
    clearTimeout(expiryTimer);
    if (!controller.signal.aborted) controller.abort(new Error(reason));
  };
  const armExpiry = (leaseStartedAt: number, ttlMs: number) => {
    clearTimeout(expiryTimer);
    const remaining = leaseStartedAt + ttlMs - Date.now();
    expiryTimer = setTimeout(() => abort(`lock "${parts.key}" lease expired`), Math.max(0, remaining));
    expiryTimer.unref();
  };
  armExpiry(parts.leaseStartedAt, parts.ttlMs);

  return {
    key: parts.key,
    token: parts.token,
    fence: parts.fence,
    signal: controller.signal,
    async release() {
      abort(`lock "${parts.key}" released`);
      return parts.release();
    },
    async extend(ttlMs = parts.ttlMs) {
      assertDurationMs(ttlMs, "lock ttlMs");
      if (controller.signal.aborted) return false;
      const startedAt = Date.now();
      const extended = await parts.extend(ttlMs);
      if (extended) armExpiry(startedAt, ttlMs);
      else abort(`lock "${parts.key}" was lost: extension refused`);
      return extended;
    },
  };
}
