/**
 * Issues fencing tokens in this process (internal): microseconds since the epoch, bumped by one
 * when two tokens land in the same microsecond. Clock-based rather than a counter so tokens keep
 * increasing across restarts without storing anything; max safe integer lasts until year 2255.
 */
let lastFence = 0;

/** The next fencing token: greater than every token this process issued before. */
export function nextFence(): number {
  const nowMicros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  lastFence = Math.max(lastFence + 1, nowMicros);
  return lastFence;
}
