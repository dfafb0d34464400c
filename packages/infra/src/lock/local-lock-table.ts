import { randomBytes } from "node:crypto";
import { LockTimeoutError } from "./lock";

/** What the table hands to a new holder. */
export interface LocalGrant {
  token: string;
  /** When the lease started, in epoch ms. */
  grantedAt: number;
}

interface Holder {
  token: string;
  leaseTimer: NodeJS.Timeout;
}

interface Waiter {
  leaseMs: number;
  requestedAt: number;
  resolve: (grant: LocalGrant) => void;
  reject: (error: Error) => void;
  deadlineTimer: NodeJS.Timeout;
}

/**
 * In-process lock table (internal): one holder per key, a FIFO queue of waiters per key, leases
 * that expire on a timer. It is the whole lock in embedded mode and the local gate in front of Redis
 * in cluster mode (so one process sends at most one contender per key to Redis, in arrival order).
 */
export class LocalLockTable {
  private readonly holders = new Map<string, Holder>();
  private readonly waiters = new Map<string, Waiter[]>();

  /**
   * Grants `key` to the caller once it is free and every earlier waiter has had its turn.
   * @throws LockTimeoutError after `waitMs` without a grant (immediately when `waitMs` is 0 and the key is busy).
   */
  acquire(key: string, leaseMs: number, waitMs: number): Promise<LocalGrant> {
    const requestedAt = Date.now();
    if (!this.holders.has(key) && !this.waiters.has(key)) {
      return Promise.resolve(this.grant(key, leaseMs));
    }
    if (waitMs === 0) return Promise.reject(new LockTimeoutError(key, 0));
    return new Promise<LocalGrant>((resolve, reject) => {
      const waiter: Waiter = {
        leaseMs,
        requestedAt,
        resolve,
        reject,
        deadlineTimer: setTimeout(() => {
          this.removeWaiter(key, waiter);
          reject(new LockTimeoutError(key, waitMs));
        }, waitMs),
      };
      const queue = this.waiters.get(key);
      if (queue) queue.push(waiter);
      else this.waiters.set(key, [waiter]);
    });
  }

  /** Frees `key` if `token` holds it and hands it to the next waiter; `false` for anyone else. */
  release(key: string, token: string): boolean {
    const holder = this.holders.get(key);
    if (!holder || holder.token !== token) return false;
    clearTimeout(holder.leaseTimer);
    this.holders.delete(key);
    this.handOff(key);
    return true;
  }

  /** Restarts the lease of `token` on `key` with `leaseMs`; `false` when it no longer holds it. */
  extend(key: string, token: string, leaseMs: number): boolean {
    const holder = this.holders.get(key);
    if (!holder || holder.token !== token) return false;
    clearTimeout(holder.leaseTimer);
    holder.leaseTimer = this.leaseTimer(key, token, leaseMs);
    return true;
  }

  /** Whether `token` currently holds `key`. */
  holds(key: string, token: string): boolean {
    return this.holders.get(key)?.token === token;
  }

  /** Clears every timer and rejects pending waiters (used on shutdown). */
  close(): void {
    for (const holder of this.holders.values()) clearTimeout(holder.leaseTimer);
    this.holders.clear();
    for (const [key, queue] of this.waiters) {
      for (const waiter of queue) {
        clearTimeout(waiter.deadlineTimer);
        waiter.reject(new LockTimeoutError(key, Date.now() - waiter.requestedAt));
      }
    }
    this.waiters.clear();
  }

  private grant(key: string, leaseMs: number): LocalGrant {
    const token = randomBytes(16).toString("base64url");
    const grantedAt = Date.now();
    this.holders.set(key, { token, leaseTimer: this.leaseTimer(key, token, leaseMs) });
    return { token, grantedAt };
  }

  private leaseTimer(key: string, token: string, leaseMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => this.release(key, token), leaseMs);
    // An abandoned lease must not keep the process alive.
    timer.unref();
    return timer;
  }

  private handOff(key: string): void {
    const queue = this.waiters.get(key);
    const next = queue?.shift();
    if (queue && queue.length === 0) this.waiters.delete(key);
    if (!next) return;
    clearTimeout(next.deadlineTimer);
    next.resolve(this.grant(key, next.leaseMs));
  }

  private removeWaiter(key: string, waiter: Waiter): void {
    const queue = this.waiters.get(key);
    if (!queue) return;
    const index = queue.indexOf(waiter);
    if (index >= 0) queue.splice(index, 1);
    // Waiters exist only while the key is held (a release hands off synchronously), so there is
    // nothing to grant here.
    if (queue.length === 0) this.waiters.delete(key);
  }
}
