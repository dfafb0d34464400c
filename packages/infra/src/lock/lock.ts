import { InfraError } from "../internal/infra-error";

/**
 * A held lock. Mutual exclusion lasts as long as the lease: call {@link Lock.extend} (or use
 * `withLock`, which extends automatically) for work that may outlive `ttlMs`.
 */
export interface Lock {
  /** The key this lock protects (as given by the caller, without prefix). */
  readonly key: string;
  /** Random secret identifying this holder; only the holder can release or extend. */
  readonly token: string;
  /**
   * Fencing token: strictly greater than the fence of every earlier holder of the same key, also
   * across lease expiry and restarts. Store it with the data the lock protects and reject writes
   * that carry a smaller fence, so a holder that lost its lease (a long GC pause) cannot overwrite a
   * newer holder's work. Safe integer (microsecond clock based).
   */
  readonly fence: number;
  /**
   * Aborted when this holder should stop: the lease ran out (by a local estimate that errs early),
   * an extension was refused, or the lock was released.
   */
  readonly signal: AbortSignal;
  /** Releases the lock; `false` when it was no longer held by this holder (lease expired). */
  release(): Promise<boolean>;
  /** Renews the lease for `ttlMs` (default: the acquire TTL); `false` when the lock was lost. */
  extend(ttlMs?: number): Promise<boolean>;
}

/** Options for {@link LockManager.acquire}. */
export interface AcquireOptions {
  /** Lease length in ms; the lock frees itself after this unless extended. Default 30,000. */
  ttlMs?: number;
  /** Longest time to wait for a busy lock, in ms; `0` tries once. Default 10,000. */
  waitMs?: number;
}

/** Options for {@link LockManager.withLock}. */
export interface WithLockOptions extends AcquireOptions {
  /** Renew the lease every `ttlMs / 3` while `fn` runs. Default `true`. */
  autoExtend?: boolean;
}

/**
 * Per-key mutual exclusion with leases. Within one process, waiters for a key are served in arrival
 * order; across processes (Redis) there is no ordering guarantee beyond exclusion.
 */
export interface LockManager {
  /**
   * Waits up to `waitMs` for `key` and returns the held lock.
   * @throws LockTimeoutError when the key stays busy for longer than `waitMs`.
   */
  acquire(key: string, options?: AcquireOptions): Promise<Lock>;
  /** Takes `key` if it is free right now, else resolves `undefined`. */
  tryAcquire(key: string, options?: Pick<AcquireOptions, "ttlMs">): Promise<Lock | undefined>;
  /**
   * Runs `fn` while holding `key` and releases afterwards, also when `fn` throws. The lease is
   * extended while `fn` runs; if it is lost anyway, `lock.signal` aborts: check it (or pass it on)
   * before committing, and commit with `lock.fence`.
   * @throws LockTimeoutError when the lock cannot be acquired within `waitMs`.
   */
  withLock<T>(key: string, fn: (lock: Lock) => Promise<T> | T, options?: WithLockOptions): Promise<T>;
  /** Releases `key` if `token` is the current holder's; anyone else is refused with `false`. */
  release(key: string, token: string): Promise<boolean>;
  /** Stops background work (subscriptions, timers). Held locks are not released. */
  close(): Promise<void>;
}

/** Default lease length. */
export const DEFAULT_LOCK_TTL_MS = 30_000;
/** Default longest wait for a busy lock. */
export const DEFAULT_LOCK_WAIT_MS = 10_000;

/** Thrown by `acquire`/`withLock` when a lock stays busy for longer than the allowed wait. */
export class LockTimeoutError extends InfraError {
  /** The key that stayed busy. */
  readonly key: string;

  constructor(key: string, waitedMs: number) {
    super("LOCK_TIMEOUT", `lock "${key}" is still held by someone else after waiting ${waitedMs} ms`);
    this.key = key;
  }
}
