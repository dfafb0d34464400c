import type { Lock, LockManager, WithLockOptions } from "./lock";
import { DEFAULT_LOCK_TTL_MS } from "./lock";

/**
 * The `withLock` both lock managers share (internal): acquire, keep the lease alive every
 * `ttlMs / 3` while `fn` runs, release in `finally`. A failed release is swallowed because the lease
 * expires by itself.
 */
export async function runWithLock<T>(
  manager: Pick<LockManager, "acquire">,
  key: string,
  fn: (lock: Lock) => Promise<T> | T,
  options: WithLockOptions = {},
): Promise<T> {
  const lock = await manager.acquire(key, options);
  const ttlMs = options.ttlMs ?? DEFAULT_LOCK_TTL_MS;
  let renewal: NodeJS.Timeout | undefined;
  if (options.autoExtend ?? true) {
    renewal = setInterval(
      () => {
        // A refused extension aborts lock.signal; fn decides what to do about it.
        lock.extend(ttlMs).then(
          (extended) => {
            if (!extended) clearInterval(renewal);
          },
          () => {
            // Transient backend error: the next tick tries again while the lease still runs.
          },
        );
      },
      Math.max(1, Math.floor(ttlMs / 3)),
    );
    renewal.unref();
  }
  try {
    return await fn(lock);
  } finally {
    clearInterval(renewal);
    // A release that fails (backend briefly away) must not turn fn's outcome into an error: the
    // lease runs out on its own within ttlMs.
    await lock.release().catch(() => false);
  }
}
