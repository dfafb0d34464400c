import { type Job, Queue, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { InfraError } from "../../internal/infra-error";
import { toJson } from "../../internal/json";
import { describeError, type InfraLogger, stderrLogger } from "../../internal/logger";
import {
  type AddJobOptions,
  assertQueueName,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF,
  type JobCounts,
  type JobHandler,
  type JobInfo,
  type JobQueue,
  type JobRef,
  type JobState,
  KEEP_COMPLETED,
  KEEP_FAILED,
  type ProcessOptions,
  parseAddArguments,
  parseConcurrency,
  QueueClosedError,
} from "../job-queue";
import { isPermanentFailure } from "../permanent-failure";

/** Options for {@link BullMqJobQueue}. */
export interface BullMqJobQueueOptions {
  /** A connected client with `maxRetriesPerRequest: null` (not owned: close it yourself). */
  connection: Redis;
  /** The deployment's key prefix, e.g. `parley:`; BullMQ keys go under `<prefix>bull:<queue>:`. */
  keyPrefix: string;
  /** Where handler failures and worker errors are reported. */
  logger?: InfraLogger;
}

/**
 * {@link JobQueue} on BullMQ for cluster mode: one BullMQ `Queue` per name (created on first use)
 * and one `Worker` per `process()` call. Jobs, delays and retries live in Redis, so any process
 * may add and any process may run them; a job whose worker died is picked up again by BullMQ's
 * stalled-job check.
 */
export class BullMqJobQueue implements JobQueue {
  private readonly queues = new Map<string, Queue>();
  private readonly workers = new Map<string, Worker>();
  private readonly prefix: string;
  private readonly logger: InfraLogger;
  private closed = false;

  constructor(private readonly options: BullMqJobQueueOptions) {
    this.prefix = `${options.keyPrefix}bull`;
    this.logger = options.logger ?? stderrLogger;
  }

  async add(name: string, data: unknown, options?: AddJobOptions): Promise<JobRef> {
    this.assertOpen();
    const parsed = parseAddArguments(name, options);
    const json = JSON.parse(toJson(data, `job data for queue "${name}"`)) as unknown;
    const backoff = parsed.backoff ?? DEFAULT_BACKOFF;
    const job = await this.queue(name).add(name, json, {
      ...(parsed.jobId === undefined ? {} : { jobId: toBullId(parsed.jobId) }),
      delay: parsed.delayMs ?? 0,
      attempts: parsed.attempts ?? DEFAULT_ATTEMPTS,
      backoff: { type: backoff.type, delay: backoff.delayMs },
      // Retained jobs keep their ids taken, which is what makes jobId a dedupe key.
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    });
    return { id: fromBullId(job.id!) };
  }

  process<T = unknown>(name: string, handler: JobHandler<T>, options?: ProcessOptions): void {
    this.assertOpen();
    assertQueueName(name);
    const concurrency = parseConcurrency(options);
    if (this.workers.has(name)) {
      throw new InfraError("HANDLER_EXISTS", `queue "${name}" already has a handler in this process`);
    }
    const worker = new Worker(
      name,
      async (job: Job) => {
        try {
          await handler({
            id: fromBullId(job.id!),
            queue: name,
            data: job.data as T,
            attempt: job.attemptsMade + 1,
            maxAttempts: job.opts.attempts ?? 1,
          });
        } catch (error) {
          this.logger.warn(
            { queue: name, jobId: job.id, attempt: job.attemptsMade + 1, error: describeError(error) },
            "job attempt failed",
          );
          if (isPermanentFailure(error) && !(error instanceof UnrecoverableError)) {
            throw new UnrecoverableError(describeError(error));
          }
          throw error;
        }
      },
      { connection: this.options.connection, prefix: this.prefix, concurrency },
    );
    worker.on("error", (error) =>
      this.logger.error({ queue: name, error: describeError(error) }, "queue worker error"),
    );
    this.workers.set(name, worker);
  }

  async remove(name: string, jobId: string): Promise<boolean> {
    this.assertOpen();
    const job = await this.queue(name).getJob(toBullId(jobId));
    if (!job) return false;
    const state = await job.getState();
    if (state === "active") return false;
    try {
      await job.remove();
      return true;
    } catch {
      // It started running between the state check and the removal.
      return false;
    }
  }

  async getJob(name: string, jobId: string): Promise<JobInfo | undefined> {
    const job = await this.queue(name).getJob(toBullId(jobId));
    if (!job) return undefined;
    return toJobInfo(name, job, mapState(await job.getState()));
  }

  async failed(name: string, limit = 100): Promise<JobInfo[]> {
    const jobs = await this.queue(name).getFailed(0, Math.max(0, limit - 1));
    return jobs.map((job) => toJobInfo(name, job, "failed"));
  }

  async counts(name: string): Promise<JobCounts> {
    const counts = await this.queue(name).getJobCounts(
      "waiting",
      "prioritized",
      "waiting-children",
      "delayed",
      "active",
      "completed",
      "failed",
    );
    const count = (state: string) => counts[state] ?? 0;
    return {
      waiting: count("waiting") + count("prioritized") + count("waiting-children"),
      delayed: count("delayed"),
      active: count("active"),
      completed: count("completed"),
      failed: count("failed"),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Worker.close() waits for running jobs to finish.
    await Promise.all([...this.workers.values()].map((worker) => worker.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  private queue(name: string): Queue {
    assertQueueName(name);
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.options.connection, prefix: this.prefix });
      queue.on("error", (error) =>
        this.logger.error({ queue: name, error: describeError(error) }, "queue error"),
      );
      this.queues.set(name, queue);
    }
    return queue;
  }

  private assertOpen(): void {
    if (this.closed) throw new QueueClosedError();
  }
}

// BullMQ refuses ':' in custom ids; '%' cannot occur in ours, so this escape is unambiguous.
function toBullId(jobId: string): string {
  return jobId.replaceAll(":", "%3A");
}

function fromBullId(bullId: string): string {
  return bullId.replaceAll("%3A", ":");
}

function mapState(state: string): JobState {
  if (state === "delayed" || state === "active" || state === "completed" || state === "failed") return state;
  return "waiting";
}

function toJobInfo(queue: string, job: Job, state: JobState): JobInfo {
  const info: JobInfo = {
    id: fromBullId(job.id!),
    queue,
    state,
    data: job.data as unknown,
    attemptsMade: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    createdAt: job.timestamp,
  };
  if (job.finishedOn !== undefined) info.finishedAt = job.finishedOn;
  if (job.failedReason) info.failedReason = job.failedReason;
  return info;
}
