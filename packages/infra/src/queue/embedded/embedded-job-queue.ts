import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { InfraError } from "../../internal/infra-error";
import { toJson } from "../../internal/json";
import { describeError, type InfraLogger, stderrLogger } from "../../internal/logger";
import { backoffDelayMs } from "../backoff";
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
  KEEP_COMPLETED,
  KEEP_FAILED,
  type ProcessOptions,
  parseAddArguments,
  parseConcurrency,
  QueueClosedError,
} from "../job-queue";
import { isPermanentFailure } from "../permanent-failure";
import { lockDirectory } from "./dir-lock";
import { openJournal, readQueueFiles } from "./journal-files";
import type { NewJournalRecord } from "./journal-records";
import { JournalWriter } from "./journal-writer";
import { type JobEntry, type NamedQueueState, QueueStates, toJobInfo } from "./queue-states";

/** setTimeout's largest delay; longer timers are re-armed in steps. */
const MAX_TIMER_MS = 2_147_483_647;

/** Options for {@link EmbeddedJobQueue.open}. */
export interface EmbeddedJobQueueOptions {
  /** Directory for the journal and snapshot (created if missing), e.g. `.parley/queue`. */
  dir: string;
  /** Where handler failures are reported. */
  logger?: InfraLogger;
  /** Journal records between snapshots. Default 10,000. */
  compactEvery?: number;
  /** Completed jobs remembered per queue. Default {@link KEEP_COMPLETED}. */
  keepCompleted?: number;
  /** Failed jobs kept per queue. Default {@link KEEP_FAILED}. */
  keepFailed?: number;
}

interface Processor {
  handler: JobHandler;
  concurrency: number;
  running: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * In-process {@link JobQueue} for embedded mode that survives restarts. Every change (add, retry,
 * completion, failure, removal) is appended to `journal.log` and fdatasync'ed before it is
 * acknowledged; the journal is folded into `snapshot.json` (atomic write + rename) every
 * `compactEvery` records and on open/close. A job that was running when the process died runs
 * again. Only one process may open a directory (`owner.lock`).
 */
export class EmbeddedJobQueue implements JobQueue {
  private readonly processors = new Map<string, Processor>();
  private readonly inFlight = new Set<Promise<void>>();
  private closing = false;

  private constructor(
    private readonly states: QueueStates,
    private readonly writer: JournalWriter,
    private readonly unlockDirectory: () => Promise<void>,
    private readonly logger: InfraLogger,
  ) {}

  /**
   * Opens (or creates) the queue in `options.dir`, replays what is on disk and compacts it.
   * @throws InfraError `QUEUE_DIR_IN_USE` when another process has the directory open,
   *   `QUEUE_DATA_CORRUPT` when a file is damaged (naming it).
   */
  static async open(options: EmbeddedJobQueueOptions): Promise<EmbeddedJobQueue> {
    await mkdir(options.dir, { recursive: true });
    const unlock = await lockDirectory(options.dir);
    try {
      const states = new QueueStates({
        keepCompleted: options.keepCompleted ?? KEEP_COMPLETED,
        keepFailed: options.keepFailed ?? KEEP_FAILED,
      });
      const { snapshot, records } = await readQueueFiles(options.dir);
      if (snapshot) states.load(snapshot);
      for (const record of records) states.apply(record);
      const journal = await openJournal(options.dir);
      const writer = new JournalWriter(
        options.dir,
        journal,
        () => states.snapshot(),
        options.compactEvery ?? 10_000,
      );
      // Start from a clean snapshot and an empty journal (also drops a torn last line).
      await writer.compact();
      return new EmbeddedJobQueue(states, writer, unlock, options.logger ?? stderrLogger);
    } catch (error) {
      await unlock();
      throw error;
    }
  }

  async add(name: string, data: unknown, options?: AddJobOptions): Promise<JobRef> {
    this.assertOpen();
    const parsed = parseAddArguments(name, options);
    // Round-trip through JSON now, so the handler sees exactly what a restart would restore.
    const json = JSON.parse(toJson(data, `job data for queue "${name}"`)) as unknown;
    const id = parsed.jobId ?? randomUUID();
    if (this.states.of(name).find(id)) return { id };
    const now = Date.now();
    const record = this.states.record({
      t: "add",
      job: {
        queue: name,
        id,
        data: json,
        createdAt: now,
        runAt: now + (parsed.delayMs ?? 0),
        attempts: parsed.attempts ?? DEFAULT_ATTEMPTS,
        backoff: parsed.backoff ?? DEFAULT_BACKOFF,
        attemptsMade: 0,
      },
    });
    await this.writer.append(record);
    this.pump(name);
    return { id };
  }

  process<T = unknown>(name: string, handler: JobHandler<T>, options?: ProcessOptions): void {
    this.assertOpen();
    assertQueueName(name);
    const concurrency = parseConcurrency(options);
    if (this.processors.has(name)) {
      throw new InfraError("HANDLER_EXISTS", `queue "${name}" already has a handler in this process`);
    }
    this.processors.set(name, { handler: handler as JobHandler, concurrency, running: 0, timer: undefined });
    this.pump(name);
  }

  async remove(name: string, jobId: string): Promise<boolean> {
    this.assertOpen();
    const entry = this.findEntry(name, jobId);
    if (!entry || entry.state === "active") return false;
    await this.writer.append(this.states.record({ t: "remove", queue: name, id: jobId }));
    return true;
  }

  async getJob(name: string, jobId: string): Promise<JobInfo | undefined> {
    const entry = this.findEntry(name, jobId);
    return entry && toJobInfo(entry, Date.now());
  }

  async failed(name: string, limit = 100): Promise<JobInfo[]> {
    assertQueueName(name);
    const now = Date.now();
    return [...this.states.of(name).failed.values()]
      .reverse()
      .slice(0, limit)
      .map((entry) => toJobInfo(entry, now));
  }

  async counts(name: string): Promise<JobCounts> {
    assertQueueName(name);
    return this.states.counts(name, Date.now());
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const processor of this.processors.values()) clearTimeout(processor.timer);
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    try {
      await this.writer.compact();
      await this.writer.close();
    } finally {
      await this.unlockDirectory();
    }
  }

  private findEntry(name: string, jobId: string): JobEntry | undefined {
    return this.states.of(assertQueueName(name)).find(jobId);
  }

  /** Starts every due job the handler has room for, then sleeps until the next one is due. */
  private pump(name: string): void {
    const processor = this.processors.get(name);
    if (!processor || this.closing) return;
    const queue = this.states.of(name);
    const now = Date.now();
    while (processor.running < processor.concurrency) {
      const next = queue.due.peek();
      if (!next || next.runAt > now) break;
      queue.due.pop();
      this.start(name, queue, processor, next.entry);
    }
    clearTimeout(processor.timer);
    processor.timer = undefined;
    const next = queue.due.peek();
    if (next && processor.running < processor.concurrency) {
      processor.timer = setTimeout(
        () => this.pump(name),
        Math.min(MAX_TIMER_MS, Math.max(0, next.runAt - now)),
      );
      // The queue does not decide the process' lifetime; the app's server does.
      processor.timer.unref();
    }
  }

  private start(name: string, queue: NamedQueueState, processor: Processor, entry: JobEntry): void {
    entry.state = "active";
    processor.running += 1;
    const run = this.run(queue, processor, entry).finally(() => {
      processor.running -= 1;
      this.inFlight.delete(run);
      this.pump(name);
    });
    this.inFlight.add(run);
  }

  private async run(queue: NamedQueueState, processor: Processor, entry: JobEntry): Promise<void> {
    const attempt = entry.attemptsMade + 1;
    let outcome: NewJournalRecord;
    try {
      await processor.handler({
        id: entry.id,
        queue: entry.queue,
        data: structuredClone(entry.data),
        attempt,
        maxAttempts: entry.attempts,
      });
      outcome = { t: "done", queue: entry.queue, id: entry.id, attemptsMade: attempt, at: Date.now() };
    } catch (error) {
      const message = describeError(error);
      const final = attempt >= entry.attempts || isPermanentFailure(error);
      this.logger.warn(
        { queue: entry.queue, jobId: entry.id, attempt, maxAttempts: entry.attempts, final, error: message },
        final ? "job failed" : "job attempt failed, will retry",
      );
      outcome = final
        ? {
            t: "fail",
            queue: entry.queue,
            id: entry.id,
            attemptsMade: attempt,
            at: Date.now(),
            error: message,
          }
        : {
            t: "retry",
            queue: entry.queue,
            id: entry.id,
            attemptsMade: attempt,
            runAt: Date.now() + backoffDelayMs(entry.backoff, attempt),
            error: message,
          };
    }
    if (queue.live.get(entry.id) !== entry) return;
    try {
      await this.writer.append(this.states.record(outcome));
    } catch (error) {
      // The outcome is applied in memory; on restart the job runs again (at-least-once).
      this.logger.error(
        { queue: entry.queue, jobId: entry.id, error: describeError(error) },
        "job outcome not saved",
      );
    }
  }

  private assertOpen(): void {
    if (this.closing) throw new QueueClosedError();
  }
}
