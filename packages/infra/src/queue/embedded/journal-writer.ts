import type { FileHandle } from "node:fs/promises";
import { InfraError } from "../../internal/infra-error";
import { writeSnapshot } from "./journal-files";
import type { JournalRecord, Snapshot } from "./journal-records";

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Appends journal records with group commit (internal): records that arrive while a write is in
 * flight go out together in the next write + fdatasync, so durability costs one sync per batch,
 * not per job. Every `compactEvery` records (and on request) it writes a snapshot and empties the
 * journal. One loop does all file work, so appends and compaction never interleave.
 *
 * A failed write is sticky: the state on disk is no longer known, so every later append fails with
 * the same error instead of pretending to be durable.
 */
export class JournalWriter {
  private lines: string[] = [];
  private lineWaiters: Waiter[] = [];
  private compactWaiters: Waiter[] = [];
  private running: Promise<void> | undefined;
  private failure: Error | undefined;
  private recordsSinceSnapshot = 0;

  /**
   * @param takeSnapshot the complete in-memory state, covering every record appended so far
   */
  constructor(
    private readonly dir: string,
    private readonly handle: FileHandle,
    private readonly takeSnapshot: () => Snapshot,
    private readonly compactEvery: number,
  ) {}

  /** Resolves once `record` is on disk. */
  append(record: JournalRecord): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.lines.push(`${JSON.stringify(record)}\n`);
      this.lineWaiters.push({ resolve, reject });
      this.kick();
    });
  }

  /** Writes a snapshot of the current state and empties the journal. */
  compact(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.compactWaiters.push({ resolve, reject });
      this.kick();
    });
  }

  /** Waits until everything appended so far is on disk. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    if (this.failure) throw this.failure;
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.handle.close();
    }
  }

  private kick(): void {
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.lines.length > 0 || this.compactWaiters.length > 0) {
        if (this.lines.length > 0) {
          const lines = this.lines;
          const waiters = this.lineWaiters;
          this.lines = [];
          this.lineWaiters = [];
          try {
            await this.handle.write(lines.join(""));
            await this.handle.datasync();
          } catch (error) {
            for (const waiter of waiters) waiter.reject(this.fail(error));
            throw error;
          }
          this.recordsSinceSnapshot += lines.length;
          for (const waiter of waiters) waiter.resolve();
        }
        if (this.compactWaiters.length > 0 || this.recordsSinceSnapshot >= this.compactEvery) {
          const waiters = this.compactWaiters;
          this.compactWaiters = [];
          try {
            // Records still queued in `lines` are in the snapshot too; their sequence numbers make
            // the replay skip them later.
            await writeSnapshot(this.dir, this.takeSnapshot());
            await this.handle.truncate(0);
            await this.handle.datasync();
          } catch (error) {
            for (const waiter of waiters) waiter.reject(this.fail(error));
            throw error;
          }
          this.recordsSinceSnapshot = 0;
          for (const waiter of waiters) waiter.resolve();
        }
      }
    } catch {
      const failure = this.failure!;
      for (const waiter of [...this.lineWaiters, ...this.compactWaiters]) waiter.reject(failure);
      this.lines = [];
      this.lineWaiters = [];
      this.compactWaiters = [];
    }
  }

  private fail(error: unknown): Error {
    this.failure ??= new InfraError(
      "QUEUE_WRITE_FAILED",
      `the embedded job queue could not write to ${this.dir}: ${(error as Error).message}`,
      { cause: error },
    );
    return this.failure;
  }
}
