import type { ConfigRevision, Database } from "@parley/db";
import type { CoreDeps } from "../context";

/** Options of a {@link ConfigCache}. */
export interface ConfigCacheOptions {
  /** Longest an entry is kept even when nothing changed (a safety net, not the invalidation). */
  ttlMs: number;
  /** Most entries kept; the oldest are dropped first. */
  maxEntries: number;
}

/**
 * A process-local cache of configuration read on every request (API keys, bots' entry flows,
 * integrations), invalidated by the database's configuration revision: when any process changes
 * such configuration, a trigger moves the revision and every process drops the whole cache at its
 * next poll (about half a second), so a revoked key stops working everywhere within a second
 * without a Redis round trip per request (internal).
 */
export class ConfigCache<V> {
  readonly #revision: ConfigRevision;
  readonly #options: ConfigCacheOptions;
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();
  readonly #loading = new Map<string, Promise<V>>();
  #generation = Number.NaN;

  constructor(revision: ConfigRevision, options: ConfigCacheOptions) {
    this.#revision = revision;
    this.#options = options;
  }

  /**
   * The cached value of `key`, or what `load` returns (concurrent misses share one load). `keep`
   * decides whether a loaded value is cached (e.g. not "unknown key": guessing must not evict).
   */
  async get(key: string, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    this.#sync();
    const hit = this.#entries.get(key);
    if (hit && hit.expiresAt > Date.now()) return hit.value;
    const pending = this.#loading.get(key);
    if (pending) return pending;
    const generation = this.#generation;
    const loading = load().then((value) => {
      this.#sync();
      // Only keep what was read under the current revision: a load that raced a change is used once
      // by its callers and then forgotten. Nothing is kept before the revision is first known.
      if (generation === this.#generation && generation >= 0 && keep(value)) {
        this.#entries.delete(key);
        this.#entries.set(key, { value, expiresAt: Date.now() + this.#options.ttlMs });
        if (this.#entries.size > this.#options.maxEntries) {
          this.#entries.delete(this.#entries.keys().next().value as string);
        }
      }
      return value;
    });
    this.#loading.set(key, loading);
    try {
      return await loading;
    } finally {
      if (this.#loading.get(key) === loading) this.#loading.delete(key);
    }
  }

  /** Drops `key` now (this process changed it). */
  delete(key: string): void {
    this.#entries.delete(key);
  }

  #sync(): void {
    const current = this.#revision.current();
    if (current !== this.#generation) {
      this.#entries.clear();
      // Loads started before the change must not be shared with callers after it.
      this.#loading.clear();
      this.#generation = current;
    }
  }
}

const caches = new WeakMap<Database, Map<string, ConfigCache<unknown>>>();

/** The process's cache named `name` for `deps.db` (one per database and name). */
export function configCache<V>(deps: CoreDeps, name: string, options: ConfigCacheOptions): ConfigCache<V> {
  let byName = caches.get(deps.db);
  if (!byName) {
    byName = new Map();
    caches.set(deps.db, byName);
  }
  let cache = byName.get(name);
  if (!cache) {
    cache = new ConfigCache<unknown>(deps.db.configRevision, options);
    byName.set(name, cache);
  }
  return cache as ConfigCache<V>;
}

/**
 * Call after committing a change to cached configuration: this process reads the new revision at
 * once (its caches drop); other processes follow at their next poll.
 */
export async function configChanged(deps: CoreDeps): Promise<void> {
  await deps.db.configRevision.refresh();
}
