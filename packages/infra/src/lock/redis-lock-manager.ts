import type { Redis } from "ioredis";
import { assertDurationMs, assertKey } from "../internal/keys";
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
import { RedisLockScripts } from "./redis-lock-scripts";
import { ReleaseNotifications } from "./release-notifications";
import { runWithLock } from "./with-lock";

/** First and largest pause between attempts on a busy key (ms); release messages cut them short. */
const FIRST_RETRY_MS = 5;
const MAX_RETRY_MS = 250;
/** setTimeout's largest delay. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * {@link LockManager} on Redis for cluster mode: `SET NX PX` semantics in Lua, compare-and-delete
 * release, compare-and-extend, fences from Redis' clock. In front of Redis sits a local FIFO gate,
 * so waiters inside one process take turns in arrival order and only one of them polls Redis.
 *
 * Keys: `<prefix>lock:{<key>}` (holder token), `<prefix>lock:{<key>}:fence` (last fence, 60 s TTL);
 * releases are announced on `<prefix>lock:released`.
 */
export class RedisLockManager implements LockManager {
  private readonly gate = new LocalLockTable();
  private readonly scripts: RedisLockScripts;
  private readonly notifications: ReleaseNotifications;
  private readonly channel: string;

  /**
   * @param redis a connected client for commands (not owned)
   * @param keyPrefix the deployment's key prefix, e.g. `parley:`
   */
  constructor(
    redis: Redis,
    private readonly keyPrefix: string,
  ) {
    this.scripts = new RedisLockScripts(redis);
    this.channel = `${keyPrefix}lock:released`;
    this.notifications = new ReleaseNotifications(() => redis.duplicate(), this.channel);
  }

  async acquire(key: string, options: AcquireOptions = {}): Promise<Lock> {
    assertKey(key, "lock");
    const ttlMs = assertDurationMs(options.ttlMs ?? DEFAULT_LOCK_TTL_MS, "lock ttlMs");
    const waitMs = assertDurationMs(options.waitMs ?? DEFAULT_LOCK_WAIT_MS, "lock waitMs", {
      allowZero: true,
    });
    const deadline = Date.now() + waitMs;
    // The gate's lease covers the Redis wait too, so the next local waiter does not start early.
    const { token } = await this.gate.acquire(key, Math.min(ttlMs + waitMs, MAX_TIMER_MS), waitMs);
    try {
      for (let attempt = 0; ; attempt += 1) {
        const leaseStartedAt = Date.now();
        const result = await this.scripts.acquire(this.lockKey(key), this.fenceKey(key), token, ttlMs);
        if (result.acquired) {
          this.gate.extend(key, token, ttlMs);
          return this.handle(key, token, result.fence, ttlMs, leaseStartedAt);
        }
        const remainingWait = deadline - Date.now();
        if (remainingWait <= 0) throw new LockTimeoutError(key, waitMs);
        const backoff = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** attempt) * (0.5 + Math.random() / 2);
        // Never sleep past the holder's lease end: at that point the key is free.
        const leaseEnd = result.remainingLeaseMs >= 0 ? result.remainingLeaseMs + 1 : backoff;
        await this.notifications.waitForRelease(key, Math.max(1, Math.min(backoff, leaseEnd, remainingWait)));
      }
    } catch (error) {
      this.gate.release(key, token);
      throw error;
    }
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
    assertKey(key, "lock");
    try {
      return await this.scripts.release(this.lockKey(key), token, this.channel, key);
    } finally {
      this.gate.release(key, token);
    }
  }

  async close(): Promise<void> {
    this.gate.close();
    await this.notifications.close();
  }

  private handle(key: string, token: string, fence: number, ttlMs: number, leaseStartedAt: number): Lock {
    return createLockHandle({
      key,
      token,
      fence,
      ttlMs,
      leaseStartedAt,
      release: () => this.release(key, token),
      extend: async (newTtlMs) => {
        const extended = await this.scripts.extend(this.lockKey(key), token, newTtlMs);
        if (extended) this.gate.extend(key, token, newTtlMs);
        return extended;
      },
    });
  }

  // The hash tag keeps a lock key and its fence key in one Redis Cluster slot (the scripts use both).
  private lockKey(key: string): string {
    return `${this.keyPrefix}lock:{${key}}`;
  }

  private fenceKey(key: string): string {
    return `${this.keyPrefix}lock:{${key}}:fence`;
  }
}
