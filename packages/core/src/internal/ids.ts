import { randomBytes } from "node:crypto";

let lastMs = 0;
let sequence = 0;

// Random bytes come from a pool refilled 4 KiB at a time: a turn makes a dozen ids, and one
// randomBytes call per id was a measurable share of a turn's CPU.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

function randomSlice(size: number): Buffer {
  if (offset + size > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const slice = Buffer.from(pool.subarray(offset, offset + size));
  offset += size;
  return slice;
}

/**
 * A UUIDv7 (time-ordered) id, as the schema expects ids to be generated client-side (internal).
 * Monotonic within a process: ids made in the same millisecond count up in the random part.
 */
export function newId(now = Date.now()): string {
  if (now <= lastMs) {
    sequence += 1;
    now = lastMs;
  } else {
    lastMs = now;
    sequence = randomSlice(2).readUInt16BE(0) & 0x7ff;
  }
  const bytes = randomSlice(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | ((sequence >> 8) & 0x0f);
  bytes[7] = sequence & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` looks like a UUID; anything else cannot name a row, so it is "not found" without a query. */
export const isUuid = (id: string): boolean => UUID.test(id);
