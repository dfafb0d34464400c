/**
 * Fire-and-forget messages between processes on named channels: Redis pub/sub in cluster mode,
 * an in-process emitter in embedded mode. Delivery is best effort (a subscriber that was away misses
 * messages), so users keep the durable truth elsewhere (the database) and use this to wake up.
 */
export interface PubSub {
  /** Sends `message` (any JSON value) to every subscriber of `channel`, in every process. */
  publish(channel: string, message: unknown): Promise<void>;
  /**
   * Calls `handler` with each message published on `channel` from now on; resolves once the
   * subscription is active (messages published after that are received). Returns the unsubscribe.
   */
  subscribe(channel: string, handler: (message: unknown) => void): Promise<() => void>;
  /** Drops every subscription and closes the connection. */
  close(): Promise<void>;
}
