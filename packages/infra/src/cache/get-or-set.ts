import type { Cache, CacheSetOptions } from "./cache";

/**
 * Shared `getOrSet` for both cache implementations (internal). Keeps one in-flight load per key so a
 * burst of misses for a hot key runs the loader once per process instead of once per request.
 */
export class GetOrSetCoalescer {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly cache: Pick<Cache, "get" | "set">) {}

  /** See {@link Cache.getOrSet}. */
  async getOrSet<T>(key: string, load: () => Promise<T>, options?: CacheSetOptions): Promise<T> {
    const cached = await this.cache.get<T>(key);
    if (cached !== undefined) return cached;
    const pending = this.inFlight.get(key);
    if (pending) return pending as Promise<T>;
    const loading = this.loadAndStore(key, load, options).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, loading);
    return loading;
  }

  private async loadAndStore<T>(key: string, load: () => Promise<T>, options?: CacheSetOptions): Promise<T> {
    const value = await load();
    if (value !== undefined) await this.cache.set(key, value, options);
    return value;
  }
}
