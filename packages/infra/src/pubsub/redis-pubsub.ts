import type { Redis } from "ioredis";
import type { PubSub } from "./pubsub";

/**
 * {@link PubSub} over Redis pub/sub: publishes on the command connection and receives on one
 * dedicated subscriber connection (opened on the first subscription), shared by every channel.
 * Channel names carry the deployment's key prefix so deployments sharing a Redis stay apart.
 */
export class RedisPubSub implements PubSub {
  private subscriber: Redis | undefined;
  private readonly channels = new Map<string, Set<(message: unknown) => void>>();
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(
    private readonly commands: Redis,
    private readonly openSubscriber: () => Redis,
    private readonly keyPrefix: string,
  ) {}

  async publish(channel: string, message: unknown): Promise<void> {
    await this.commands.publish(this.keyPrefix + channel, JSON.stringify(message));
  }

  async subscribe(channel: string, handler: (message: unknown) => void): Promise<() => void> {
    const subscriber = this.ensureSubscriber();
    const handlers = this.channels.get(channel) ?? new Set();
    const first = handlers.size === 0;
    handlers.add(handler);
    this.channels.set(channel, handlers);
    if (first) {
      const subscribing = subscriber.subscribe(this.keyPrefix + channel);
      this.pending.set(channel, subscribing);
      await subscribing.finally(() => {
        if (this.pending.get(channel) === subscribing) this.pending.delete(channel);
      });
    } else await this.pending.get(channel);
    return () => {
      handlers.delete(handler);
      if (handlers.size > 0 || this.channels.get(channel) !== handlers) return;
      this.channels.delete(channel);
      subscriber.unsubscribe(this.keyPrefix + channel).catch(() => {});
    };
  }

  async close(): Promise<void> {
    this.channels.clear();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    subscriber?.disconnect();
  }

  private ensureSubscriber(): Redis {
    if (this.subscriber) return this.subscriber;
    const subscriber = this.openSubscriber();
    subscriber.on("error", () => {});
    subscriber.on("message", (raw: string, text: string) => {
      const handlers = this.channels.get(raw.slice(this.keyPrefix.length));
      if (!handlers) return;
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        return;
      }
      for (const handler of [...handlers]) {
        try {
          handler(message);
        } catch {
          // A failing subscriber must not affect the others.
        }
      }
    });
    this.subscriber = subscriber;
    return subscriber;
  }
}
