import { Redis, type RedisOptions } from "ioredis";
import { InfraError } from "../internal/infra-error";
import { withTimeout } from "../internal/with-timeout";

/** How long start-up waits for Redis before giving up with a clear message. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * What a connection is used for. BullMQ workers block on Redis and must retry forever
 * (`maxRetriesPerRequest: null`); request-path commands should fail fast instead of hanging while
 * Redis is away.
 */
export type RedisRole = "commands" | "queue" | "subscriber";

/**
 * Opens an ioredis connection for `role` and waits until it is ready.
 * @throws InfraError `REDIS_UNREACHABLE` naming the (redacted) URL and the cause.
 */
export async function connectRedis(url: string, role: RedisRole, connectionName: string): Promise<Redis> {
  const client = new Redis(url, { ...optionsFor(role), connectionName, lazyConnect: true });
  // Without a listener ioredis reports every reconnect attempt as an unhandled 'error' event.
  client.on("error", () => {});
  try {
    await withTimeout(client.connect(), CONNECT_TIMEOUT_MS);
    return client;
  } catch (error) {
    client.disconnect();
    throw new InfraError(
      "REDIS_UNREACHABLE",
      `Redis at ${redactRedisUrl(url)} (REDIS_URL) is unreachable: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

function optionsFor(role: RedisRole): RedisOptions {
  const common: RedisOptions = { connectTimeout: CONNECT_TIMEOUT_MS };
  // Auto-pipelining: commands issued in the same tick (a turn's rate limits, lock, cache) leave in one
  // write instead of one syscall each.
  if (role === "commands") return { ...common, maxRetriesPerRequest: 2, enableAutoPipelining: true };
  return { ...common, maxRetriesPerRequest: null };
}

/** Closes a connection politely, falling back to a hard disconnect if Redis is gone. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === "end") return;
  try {
    await withTimeout(client.quit(), 2_000);
  } catch {
    client.disconnect();
  }
}

/** The URL with any password replaced, safe for error messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "<unparseable REDIS_URL>";
  }
}
