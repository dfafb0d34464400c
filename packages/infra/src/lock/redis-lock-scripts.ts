import type { Redis } from "ioredis";

/**
 * Lua scripts that make each lock step atomic in Redis (internal).
 *
 * Fences come from Redis' own clock (microseconds), bumped past the last fence issued for the key,
 * so they only grow even after the fence key expires; `%.0f` keeps Lua from printing them as
 * floating point.
 */
const ACQUIRE = `
local ttl = redis.call('PTTL', KEYS[1])
if ttl ~= -2 then
  return {0, ttl}
end
local now = redis.call('TIME')
local micros = tonumber(now[1]) * 1000000 + tonumber(now[2])
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
local fence = string.format('%.0f', math.max(previous + 1, micros))
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SET', KEYS[2], fence, 'PX', ARGV[3])
return {1, fence}
`;

/** Compare-and-delete: only the holder's token frees the key; waiters hear about it on the channel. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], ARGV[3])
  return 1
end
return 0
`;

/** Compare-and-extend: only the holder's token renews the lease. */
const EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`;

/** How long the fence key outlives the last acquire; the clock floor makes a longer life unnecessary. */
const FENCE_KEY_TTL_MS = 60_000;

/** Result of one acquisition attempt. */
export type AcquireAttempt =
  | { acquired: true; fence: number }
  | { acquired: false; remainingLeaseMs: number };

interface LockCommands {
  parleyLockAcquire(
    lockKey: string,
    fenceKey: string,
    token: string,
    ttlMs: number,
    fenceTtlMs: number,
  ): Promise<[number, number | string]>;
  parleyLockRelease(lockKey: string, token: string, channel: string, key: string): Promise<number>;
  parleyLockExtend(lockKey: string, token: string, ttlMs: number): Promise<number>;
}

/** Typed access to the lock scripts on one client; defines them on first use. */
export class RedisLockScripts {
  private readonly commands: LockCommands;

  constructor(redis: Redis) {
    if (!("parleyLockAcquire" in redis)) {
      redis.defineCommand("parleyLockAcquire", { numberOfKeys: 2, lua: ACQUIRE });
      redis.defineCommand("parleyLockRelease", { numberOfKeys: 1, lua: RELEASE });
      redis.defineCommand("parleyLockExtend", { numberOfKeys: 1, lua: EXTEND });
    }
    this.commands = redis as unknown as LockCommands;
  }

  /** Takes the lock if free. */
  async acquire(lockKey: string, fenceKey: string, token: string, ttlMs: number): Promise<AcquireAttempt> {
    const [acquired, value] = await this.commands.parleyLockAcquire(
      lockKey,
      fenceKey,
      token,
      ttlMs,
      FENCE_KEY_TTL_MS,
    );
    if (acquired === 1) return { acquired: true, fence: Number(value) };
    return { acquired: false, remainingLeaseMs: Number(value) };
  }

  /** Frees the lock if `token` holds it and announces it on `channel`. */
  async release(lockKey: string, token: string, channel: string, key: string): Promise<boolean> {
    return (await this.commands.parleyLockRelease(lockKey, token, channel, key)) === 1;
  }

  /** Renews the lease if `token` holds it. */
  async extend(lockKey: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.commands.parleyLockExtend(lockKey, token, ttlMs)) === 1;
  }
}
