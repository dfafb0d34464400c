import type { Redis } from "ioredis";
import { toJson } from "../internal/json";
import { assertDurationMs, assertKey } from "../internal/keys";
import type { Cache, CacheSetOptions } from "./cache";
import { GetOrSetCoalescer } from "./get-or-set";

/**
 * {@link Cache} on Redis for cluster mode: one string key per entry (`<prefix>cache:<key>`) holding
 * the JSON text, with `PX` expiry, so every process sees the same entries.
 */
export class RedisCache implements Cache {
  private readonly coalescer = new GetOrSetCoalescer(this);

  /**
   * @param redis a connected client (not owned: closing the cache does not close it)
   * @param keyPrefix the deployment's key prefix, e.g. `parley:`
   */
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const json = await this.redis.get(this.redisKey(key));
    return json === null ? undefined : (JSON.parse(json) as T);
  }

  async set(key: string, value: unknown, options: CacheSetOptions = {}): Promise<void> {
    const redisKey = this.redisKey(key);
    const json = toJson(value, `cache value for key "${key}"`);
    if (options.maxBytes !== undefined && Buffer.byteLength(json) > options.maxBytes) {
      await this.redis.del(redisKey);
      return;
    }
    if (options.ttlMs === undefined) {
      await this.redis.set(redisKey, json);
    } else {
      await this.redis.set(redisKey, json, "PX", assertDurationMs(options.ttlMs, "cache ttlMs"));
    }
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.redisKey(key))) > 0;
  }

  getOrSet<T>(key: string, load: () => Promise<T>, options?: CacheSetOptions): Promise<T> {
    return this.coalescer.getOrSet(key, load, options);
  }

  private redisKey(key: string): string {
    return `${this.keyPrefix}cache:${assertKey(key, "cache")}`;
  }
}
