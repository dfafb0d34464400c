import { z } from "zod";
import { InfraError } from "../internal/infra-error";

/**
 * Durable background jobs grouped in named queues (`timers`, `webhooks`, `deliveries`, ...).
 *
 * Delivery is at least once: a process that dies mid-handler runs the job again after restart, so
 * handlers must be idempotent (use the job id as an idempotency key). Data goes through JSON.
 */
export interface JobQueue {
  /**
   * Enqueues a job on queue `name`. Resolves once the job is durable (in Redis, or fsynced to the
   * journal). With `jobId`, adding an id that is already waiting, delayed, running, failed or
   * recently completed is a no-op that resolves the existing id.
   */
  add(name: string, data: unknown, options?: AddJobOptions): Promise<JobRef>;
  /**
   * Starts running jobs of queue `name` in this process with `handler`, at most `concurrency`
   * (default 1) at a time. A handler that throws is retried with backoff until its attempts are
   * used up; throwing {@link PermanentJobError} fails it at once. One handler per queue and process.
   */
  process<T = unknown>(name: string, handler: JobHandler<T>, options?: ProcessOptions): void;
  /** Cancels a job that has not started (or drops a finished one); `false` when running or unknown. */
  remove(name: string, jobId: string): Promise<boolean>;
  /** One job's state, or `undefined` when unknown (never added, or removed after retention). */
  getJob(name: string, jobId: string): Promise<JobInfo | undefined>;
  /** Failed jobs of queue `name`, most recent first, for inspection. */
  failed(name: string, limit?: number): Promise<JobInfo[]>;
  /** Number of jobs per state on queue `name` (for metrics: depth = waiting + delayed). */
  counts(name: string): Promise<JobCounts>;
  /** Stops taking new jobs, waits for running handlers to finish, then closes storage. */
  close(): Promise<void>;
}

/** Reference to an enqueued job. */
export interface JobRef {
  /** The job's id: the given `jobId`, or a generated one. */
  id: string;
}

/** What a handler receives. */
export interface JobContext<T = unknown> {
  /** The job's id. */
  id: string;
  /** The queue it came from. */
  queue: string;
  /** The payload given to `add`, after a JSON round-trip. */
  data: T;
  /** 1 on the first run, 2 on the first retry, ... */
  attempt: number;
  /** Total runs allowed (`attempts` option). */
  maxAttempts: number;
}

/** Runs one job; resolve for success, throw to fail this attempt. */
export type JobHandler<T = unknown> = (job: JobContext<T>) => Promise<unknown>;

/** Options for {@link JobQueue.process}. */
export interface ProcessOptions {
  /** Jobs of this queue run in parallel in this process (default 1). */
  concurrency?: number;
}

/** Lifecycle state of a job. */
export type JobState = "waiting" | "delayed" | "active" | "completed" | "failed";

/** What {@link JobQueue.getJob} and {@link JobQueue.failed} report. */
export interface JobInfo {
  id: string;
  queue: string;
  state: JobState;
  data: unknown;
  /** Runs finished so far: the failed ones, plus the successful one once completed. */
  attemptsMade: number;
  maxAttempts: number;
  /** Epoch ms when the job was added. */
  createdAt: number;
  /** Epoch ms when it completed or finally failed. */
  finishedAt?: number;
  /** Message of the last failure. */
  failedReason?: string;
}

/** Job counts per state of one queue. */
export interface JobCounts {
  waiting: number;
  delayed: number;
  active: number;
  completed: number;
  failed: number;
}

/**
 * A job id: letters, digits and `_ . : @ -`, not only digits (ids like `timer:conv_1:node_4`).
 * Ids make `add` idempotent, so derive them from what makes the work unique.
 */
export const jobIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:@-]{1,256}$/, "must be 1-256 letters, digits or _ . : @ -")
  .refine((id) => !/^\d+$/.test(id), "must not be only digits (numeric ids are reserved for generated ids)");

/** A queue name: letters, digits, `_` and `-`. */
export const queueNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, '_' or '-'");

/** How retries are spaced: `exponential` waits delayMs, 2*delayMs, 4*delayMs, ...; `fixed` waits delayMs. */
export const backoffSchema = z.object({
  type: z.enum(["exponential", "fixed"]),
  delayMs: z.number().int().nonnegative(),
});

/** Options for {@link JobQueue.add}; see the defaults below. */
export const addJobOptionsSchema = z
  .object({
    /** Run no earlier than this many ms from now (timers). */
    delayMs: z.number().int().nonnegative().optional(),
    /** Deduplication key; see {@link jobIdSchema}. */
    jobId: jobIdSchema.optional(),
    /** Total runs allowed, first run included. Default 3. */
    attempts: z.number().int().min(1).max(100).optional(),
    /** Spacing of retries. Default exponential from 1,000 ms. */
    backoff: backoffSchema.optional(),
  })
  .strict();

/** Options for {@link JobQueue.add}. */
export type AddJobOptions = z.infer<typeof addJobOptionsSchema>;
/** Retry spacing. */
export type Backoff = z.infer<typeof backoffSchema>;

/** Runs allowed when `attempts` is not given. */
export const DEFAULT_ATTEMPTS = 3;
/** Retry spacing when `backoff` is not given. */
export const DEFAULT_BACKOFF: Backoff = { type: "exponential", delayMs: 1_000 };
/** Completed jobs remembered per queue (for `jobId` dedupe and inspection). */
export const KEEP_COMPLETED = 1_000;
/** Failed jobs kept per queue for inspection. */
export const KEEP_FAILED = 5_000;

/** Throw from a handler to fail the job without further retries (e.g. a webhook answered 410 Gone). */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentJobError";
  }
}

/** Thrown by queue calls made after `close()`. */
export class QueueClosedError extends InfraError {
  constructor() {
    super("QUEUE_CLOSED", "the job queue is closed");
  }
}

/**
 * Validates `add` arguments the same way for both implementations (internal).
 * @throws InfraError `INVALID_JOB` naming the bad field.
 */
export function parseAddArguments(name: string, options: AddJobOptions | undefined): AddJobOptions {
  assertQueueName(name);
  const parsed = addJobOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length > 0 ? `option "${issue.path.join(".")}"` : "options";
    throw new InfraError("INVALID_JOB", `job ${field} for queue "${name}" ${issue.message}`);
  }
  return parsed.data;
}

/**
 * @throws InfraError `INVALID_QUEUE_NAME` when `name` is not a valid queue name.
 */
export function assertQueueName(name: unknown): string {
  const parsed = queueNameSchema.safeParse(name);
  if (!parsed.success) {
    throw new InfraError(
      "INVALID_QUEUE_NAME",
      `queue name ${JSON.stringify(name)} ${parsed.error.issues[0]!.message}`,
    );
  }
  return parsed.data;
}

/** @throws InfraError `INVALID_CONCURRENCY` unless `concurrency` is an integer from 1 to 1000. */
export function parseConcurrency(options: ProcessOptions | undefined): number {
  const concurrency = options?.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1_000) {
    throw new InfraError(
      "INVALID_CONCURRENCY",
      `concurrency must be an integer from 1 to 1000, got ${concurrency}`,
    );
  }
  return concurrency;
}
