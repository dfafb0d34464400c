import type { AnalyticsEventInput, AnalyticsSink } from "../accounting/call-record";

/** Options of {@link batchingAnalyticsSink}. */
export interface BatchingOptions {
  /** Longest an event waits before it is written, in ms (default 200). */
  readonly maxDelayMs?: number;
  /** Events that trigger a write at once (default 500). */
  readonly maxBatch?: number;
  /** Told about a batch the inner sink refused (it is dropped: accounting never fails a turn). */
  readonly onError?: (error: unknown, dropped: number) => void;
}

/** A sink that batches, plus what its owner needs to drain it. */
export interface BatchingAnalyticsSink extends AnalyticsSink {
  /** Writes what is buffered now; resolves when it is written. */
  flush(): Promise<void>;
}

/**
 * Buffers model call records and writes them to `inner` in batches (one insert per batch instead
 * of one per call, off the turn's path: `emit` returns at once). An event is written within
 * `maxDelayMs`; a process killed in that window loses those records (accounting, never
 * conversation data). Flush it on shutdown.
 *
 * @example
 * const sink = batchingAnalyticsSink(databaseAnalyticsSink(db), { maxDelayMs: 200 });
 * await sink.emit([event]); // buffered
 * await sink.flush();       // written
 */
export function batchingAnalyticsSink(
  inner: AnalyticsSink,
  options: BatchingOptions = {},
): BatchingAnalyticsSink {
  const maxDelayMs = options.maxDelayMs ?? 200;
  const maxBatch = options.maxBatch ?? 500;
  let buffer: AnalyticsEventInput[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = buffer;
    buffer = [];
    // One write at a time, in order; a flush resolves once everything emitted before it is written.
    writing = writing.then(async () => {
      if (batch.length === 0) return;
      try {
        await inner.emit(batch);
      } catch (error) {
        options.onError?.(error, batch.length);
      }
    });
    return writing;
  };

  return {
    async emit(events) {
      buffer.push(...events);
      if (buffer.length >= maxBatch) void flush();
      else timer ??= setTimeout(() => void flush(), maxDelayMs).unref();
    },
    flush,
  };
}
