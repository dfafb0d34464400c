import { toJson } from "../internal/json";
import { assertDurationMs, assertKey } from "../internal/keys";
import type { Cache, CacheSetOptions } from "./cache";
import { GetOrSetCoalescer } from "./get-or-set";

interface Entry {
  json: string;
  /** Epoch ms after which the entry is gone; `Infinity` for no expiry. */
  expiresAt: number;
}

/** Options for {@link MemoryCache}. */
export interface MemoryCacheOptions {
  /** Most entries kept; the least recently written are evicted first. Default 10,000. */
  maxEntries?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

/**
 * In-process {@link Cache} for embedded mode. Entries expire lazily on read and in a background
 * sweep (unref'd, so it never keeps the process alive); the entry count is bounded.
 */
export class MemoryCache implements Cache {
  private readonly entries = new Map<string, Entry>();
  private readonly coalescer = new GetOrSetCoalescer(this);
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: MemoryCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), 30_000);
    this.sweeper.unref();
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    assertKey(key, "cache");
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return JSON.parse(entry.json) as T;
  }

  async set(key: string, value: unknown, options: CacheSetOptions = {}): Promise<void> {
    assertKey(key, "cache");
    const ttlMs = options.ttlMs === undefined ? undefined : assertDurationMs(options.ttlMs, "cache ttlMs");
    const json = toJson(value, `cache value for key "${key}"`);
    if (options.maxBytes !== undefined && Buffer.byteLength(json) > options.maxBytes) {
      this.entries.delete(key);
      return;
    }
    // Re-inserting moves the key to the end of the Map's order, which makes eviction least-recently-written.
    this.entries.delete(key);
    this.entries.set(key, {
      json,
      expiresAt: ttlMs === undefined ? Number.POSITIVE_INFINITY : this.now() + ttlMs,
    });
    if (this.entries.size > this.maxEntries) this.evictOldest();
  }

  async delete(key: string): Promise<boolean> {
    assertKey(key, "cache");
    const entry = this.entries.get(key);
    this.entries.delete(key);
    return entry !== undefined && entry.expiresAt > this.now();
  }

  getOrSet<T>(key: string, load: () => Promise<T>, options?: CacheSetOptions): Promise<T> {
    return this.coalescer.getOrSet(key, load, options);
  }

  /** Stops the background sweep. */
  close(): void {
    clearInterval(this.sweeper);
    this.entries.clear();
  }

  private evictOldest(): void {
    const oldest = this.entries.keys().next();
    if (!oldest.done) this.entries.delete(oldest.value);
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
