/**
 * A key-value cache for JSON values with per-entry expiry. Values go through JSON on the way in, so
 * both implementations return equal copies (a `Date` comes back as its ISO string, mutating a returned
 * object never changes the cache).
 */
export interface Cache {
  /** The value stored under `key`, or `undefined` when absent or expired. */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /**
   * Stores `value` (anything `JSON.stringify` accepts; `undefined` is rejected) under `key`.
   * Without `ttlMs` the entry lives until deleted or evicted.
   */
  set(key: string, value: unknown, options?: CacheSetOptions): Promise<void>;
  /** Removes `key`; resolves `true` when something was removed. */
  delete(key: string): Promise<boolean>;
  /**
   * The cached value for `key`, or the result of `load()` stored with `options.ttlMs`. Concurrent
   * calls for one key in one process share a single `load()`. A `load()` that resolves `undefined`
   * is returned but not cached; one that throws caches nothing and rethrows.
   */
  getOrSet<T>(key: string, load: () => Promise<T>, options?: CacheSetOptions): Promise<T>;
}

/** Options for {@link Cache.set} and {@link Cache.getOrSet}. */
export interface CacheSetOptions {
  /** Time to live in milliseconds (positive integer). */
  ttlMs?: number;
  /**
   * Largest value kept, in bytes of its JSON text: a bigger value is not stored, and whatever the key
   * held before is removed (so a reader never gets an older value instead). A per-entry memory bound.
   */
  maxBytes?: number;
}
