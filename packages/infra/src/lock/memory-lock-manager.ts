import { assertDurationMs, assertKey } from "../internal/keys";
import { nextFence } from "./fence-clock";
import { LocalLockTable } from "./local-lock-table";
import {
  type AcquireOptions,
  DEFAULT_LOCK_TTL_MS,
  DEFAULT_LOCK_WAIT_MS,
  type Lock,
  type LockManager,
  LockTimeoutError,
  type WithLockOptions,
} from "./lock";
import { createLockHandle } from "./lock-handle";
import { runWithLock } from "./with-lock";

/**
 * In-process {@link LockManager} for embedded mode, where one process serves every turn. Waiters
 * for a key are served first come, first served.
 */
export class MemoryLockManager implements LockManager {
  private readonly table = new LocalLockTable();

  async acquire(key: string, options: AcquireOptions = {}): Promise<Lock> {
    assertKey(key, "lock");
    const ttlMs = assertDurationMs(options.ttlMs ?? DEFAULT_LOCK_TTL_MS, "lock ttlMs");
    const waitMs = assertDurationMs(options.waitMs ?? DEFAULT_LOCK_WAIT_MS, "lock waitMs", {
      allowZero: true,
    });
    const grant = await this.table.acquire(key, ttlMs, waitMs);
    return createLockHandle({
      key,
      token: grant.token,
      fence: nextFence(),
      ttlMs,
      leaseStartedAt: grant.grantedAt,
      release: async () => this.table.release(key, grant.token),
      extend: async (newTtlMs) => this.table.extend(key, grant.token, newTtlMs),
    });
  }

  async tryAcquire(key: string, options: Pick<AcquireOptions, "ttlMs"> = {}): Promise<Lock | undefined> {
    try {
      return await this.acquire(key, { ...options, waitMs: 0 });
    } catch (error) {
      if (error instanceof LockTimeoutError) return undefined;
      throw error;
    }
  }

  withLock<T>(key: string, fn: (lock: Lock) => Promise<T> | T, options?: WithLockOptions): Promise<T> {
    return runWithLock(this, key, fn, options);
  }

  async release(key: string, token: string): Promise<boolean> {
    return this.table.release(assertKey(key, "lock"), token);
  }

  async close(): Promise<void> {
    this.table.close();
  }
}
