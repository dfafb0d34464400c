import { z } from "zod";
import { backoffSchema } from "../job-queue";

/**
 * On-disk format of the embedded queue (internal). The journal holds one record per line; the
 * snapshot holds the whole state as of record `seq`. Both are validated on load so a damaged file
 * stops start-up with a message instead of silently dropping jobs.
 */

/** A job as stored: everything needed to run it again after a restart. */
export const storedJobSchema = z.object({
  queue: z.string(),
  id: z.string(),
  data: z.unknown(),
  createdAt: z.number(),
  /** Epoch ms of the next run (first run, or the next retry). */
  runAt: z.number(),
  attempts: z.number().int(),
  backoff: backoffSchema,
  attemptsMade: z.number().int(),
});

/** A stored job. */
export type StoredJob = z.infer<typeof storedJobSchema>;

/** One journal line. `s` is the record's sequence number, increasing across the queue's lifetime. */
export const journalRecordSchema = z.discriminatedUnion("t", [
  z.object({ s: z.number().int(), t: z.literal("add"), job: storedJobSchema }),
  z.object({
    s: z.number().int(),
    t: z.literal("retry"),
    queue: z.string(),
    id: z.string(),
    attemptsMade: z.number().int(),
    runAt: z.number(),
    error: z.string(),
  }),
  z.object({
    s: z.number().int(),
    t: z.literal("done"),
    queue: z.string(),
    id: z.string(),
    attemptsMade: z.number().int(),
    at: z.number(),
  }),
  z.object({
    s: z.number().int(),
    t: z.literal("fail"),
    queue: z.string(),
    id: z.string(),
    attemptsMade: z.number().int(),
    at: z.number(),
    error: z.string(),
  }),
  z.object({ s: z.number().int(), t: z.literal("remove"), queue: z.string(), id: z.string() }),
]);

/** One journal record. */
export type JournalRecord = z.infer<typeof journalRecordSchema>;

/** A journal record before it has been given its sequence number. */
export type NewJournalRecord = JournalRecord extends infer R
  ? R extends unknown
    ? Omit<R, "s">
    : never
  : never;

/** The state file: every retained job with its state, in queue order, as of record `seq`. */
export const snapshotSchema = z.object({
  format: z.literal("parley-queue-snapshot"),
  version: z.literal(1),
  seq: z.number().int(),
  jobs: z.array(
    storedJobSchema.extend({
      state: z.enum(["pending", "completed", "failed"]),
      /** Tie-break among jobs due at the same time: lower runs first. */
      order: z.number(),
      finishedAt: z.number().optional(),
      failedReason: z.string().optional(),
    }),
  ),
});

/** The state file's content. */
export type Snapshot = z.infer<typeof snapshotSchema>;
