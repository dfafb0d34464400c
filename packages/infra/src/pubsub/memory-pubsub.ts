import type { PubSub } from "./pubsub";

/** {@link PubSub} inside one process (embedded mode). Messages are JSON-copied like Redis would. */
export class MemoryPubSub implements PubSub {
  private readonly channels = new Map<string, Set<(message: unknown) => void>>();

  async publish(channel: string, message: unknown): Promise<void> {
    const handlers = this.channels.get(channel);
    if (!handlers) return;
    const text = JSON.stringify(message);
    for (const handler of [...handlers]) {
      // Delivered on a later tick, as over the network: a publisher never runs subscribers inline.
      queueMicrotask(() => {
        try {
          handler(JSON.parse(text));
        } catch {
          // A failing subscriber must not affect the others.
        }
      });
    }
  }

  async subscribe(channel: string, handler: (message: unknown) => void): Promise<() => void> {
    const handlers = this.channels.get(channel) ?? new Set();
    handlers.add(handler);
    this.channels.set(channel, handlers);
    return () => {
      handlers.delete(handler);
      if (handlers.size === 0) this.channels.delete(channel);
    };
  }

  async close(): Promise<void> {
    this.channels.clear();
  }
}
