import type { Redis } from "ioredis";

/**
 * Wakes local waiters when another process releases a lock (internal), so a waiter does not sleep
 * out its whole backoff. Best effort: a missed message only means the waiter polls a little later.
 */
export class ReleaseNotifications {
  private subscriber: Redis | undefined;
  private readonly sleepers = new Map<string, Set<() => void>>();

  /**
   * @param openSubscriber creates the dedicated connection a Redis subscriber needs (on first wait)
   * @param channel the pub/sub channel the release script publishes lock keys on
   */
  constructor(
    private readonly openSubscriber: () => Redis,
    private readonly channel: string,
  ) {}

  /** Resolves when `key` is announced as released or after `ms`, whichever comes first. */
  waitForRelease(key: string, ms: number): Promise<void> {
    this.ensureSubscribed();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.get(key)?.delete(wake);
        if (this.sleepers.get(key)?.size === 0) this.sleepers.delete(key);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      const set = this.sleepers.get(key) ?? new Set();
      set.add(wake);
      this.sleepers.set(key, set);
    });
  }

  /** Closes the subscriber connection and wakes everybody. */
  async close(): Promise<void> {
    for (const set of this.sleepers.values()) for (const wake of [...set]) wake();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) subscriber.disconnect();
  }

  private ensureSubscribed(): void {
    if (this.subscriber) return;
    const subscriber = this.openSubscriber();
    this.subscriber = subscriber;
    subscriber.on("error", () => {});
    subscriber.on("message", (_channel: string, key: string) => {
      for (const wake of [...(this.sleepers.get(key) ?? [])]) wake();
    });
    subscriber.subscribe(this.channel).catch(() => {
      // Polling still works; the next waiter retries the subscription.
      if (this.subscriber === subscriber) this.subscriber = undefined;
      subscriber.disconnect();
    });
  }
}
