import type { JobCounts, JobInfo, JobState } from "../job-queue";
import type { JournalRecord, NewJournalRecord, Snapshot, StoredJob } from "./journal-records";
import { RunOrderHeap } from "./run-order-heap";

/** A job in memory (internal). `active` is never stored: after a crash an active job runs again. */
export interface JobEntry extends StoredJob {
  state: "pending" | "active" | "completed" | "failed" | "removed";
  order: number;
  /** Bumped on every change, so heap nodes for an earlier schedule are recognised as stale. */
  version: number;
  finishedAt?: number;
  failedReason?: string;
}

interface HeapNode {
  entry: JobEntry;
  runAt: number;
  order: number;
  version: number;
}

/** The jobs of one named queue. */
export class NamedQueueState {
  /** Pending and active jobs by id. */
  readonly live = new Map<string, JobEntry>();
  /** Recently completed jobs, oldest first. */
  readonly completed = new Map<string, JobEntry>();
  /** Failed jobs, oldest first. */
  readonly failed = new Map<string, JobEntry>();
  /** Pending jobs by due time. */
  readonly due = new RunOrderHeap<HeapNode>(
    (node) => node.version === node.entry.version && node.entry.state === "pending",
  );

  /** (Re)schedules a pending entry. */
  schedule(entry: JobEntry): void {
    this.due.push({ entry, runAt: entry.runAt, order: entry.order, version: entry.version });
  }

  /** The entry for `id` in any retained state. */
  find(id: string): JobEntry | undefined {
    return this.live.get(id) ?? this.completed.get(id) ?? this.failed.get(id);
  }
}

/** Retention limits (internal). */
export interface Retention {
  keepCompleted: number;
  keepFailed: number;
}

/**
 * The embedded queue's state as a pure state machine over journal records (internal): the same
 * `apply` runs live and on replay, so a restart rebuilds exactly the state that was acknowledged.
 */
export class QueueStates {
  private readonly queues = new Map<string, NamedQueueState>();
  private seq = 0;

  constructor(private readonly retention: Retention) {}

  /** The state of queue `name`, created on first use. */
  of(name: string): NamedQueueState {
    let state = this.queues.get(name);
    if (!state) {
      state = new NamedQueueState();
      this.queues.set(name, state);
    }
    return state;
  }

  /** Names of every queue with state. */
  names(): string[] {
    return [...this.queues.keys()];
  }

  /** Gives `record` the next sequence number and applies it. */
  record(record: NewJournalRecord): JournalRecord {
    const numbered = { ...record, s: this.seq + 1 } as JournalRecord;
    this.apply(numbered);
    return numbered;
  }

  /** Applies one record (live or during replay). */
  apply(record: JournalRecord): void {
    this.seq = Math.max(this.seq, record.s);
    if (record.t === "add") {
      const queue = this.of(record.job.queue);
      if (queue.find(record.job.id)) return;
      const entry: JobEntry = { ...record.job, state: "pending", order: record.s, version: 0 };
      queue.live.set(entry.id, entry);
      queue.schedule(entry);
      return;
    }
    const queue = this.of(record.queue);
    if (record.t === "remove") {
      const entry = queue.find(record.id);
      if (!entry) return;
      entry.state = "removed";
      entry.version += 1;
      queue.live.delete(record.id);
      queue.completed.delete(record.id);
      queue.failed.delete(record.id);
      return;
    }
    const entry = queue.live.get(record.id);
    if (!entry) return;
    entry.version += 1;
    if (record.t === "retry") {
      entry.state = "pending";
      entry.attemptsMade = record.attemptsMade;
      entry.runAt = record.runAt;
      entry.order = record.s;
      entry.failedReason = record.error;
      queue.schedule(entry);
    } else if (record.t === "done") {
      queue.live.delete(entry.id);
      entry.state = "completed";
      entry.attemptsMade = record.attemptsMade;
      entry.finishedAt = record.at;
      keepNewest(queue.completed, entry, this.retention.keepCompleted);
    } else {
      queue.live.delete(entry.id);
      entry.state = "failed";
      entry.attemptsMade = record.attemptsMade;
      entry.finishedAt = record.at;
      entry.failedReason = record.error;
      keepNewest(queue.failed, entry, this.retention.keepFailed);
    }
  }

  /** Everything needed to rebuild this state, as of the last applied record. */
  snapshot(): Snapshot {
    const jobs: Snapshot["jobs"] = [];
    for (const queue of this.queues.values()) {
      for (const entry of queue.live.values()) jobs.push(toStored(entry, "pending"));
      for (const entry of queue.completed.values()) jobs.push(toStored(entry, "completed"));
      for (const entry of queue.failed.values()) jobs.push(toStored(entry, "failed"));
    }
    return { format: "parley-queue-snapshot", version: 1, seq: this.seq, jobs };
  }

  /** Restores the state a snapshot describes. */
  load(snapshot: Snapshot): void {
    this.seq = snapshot.seq;
    for (const { state, order, finishedAt, failedReason, ...job } of snapshot.jobs) {
      const queue = this.of(job.queue);
      const entry: JobEntry = { ...job, state, order, version: 0 };
      if (finishedAt !== undefined) entry.finishedAt = finishedAt;
      if (failedReason !== undefined) entry.failedReason = failedReason;
      if (state === "pending") {
        queue.live.set(entry.id, entry);
        queue.schedule(entry);
      } else {
        (state === "completed" ? queue.completed : queue.failed).set(entry.id, entry);
      }
    }
  }

  /** Job counts of queue `name` at time `now`. */
  counts(name: string, now: number): JobCounts {
    const queue = this.of(name);
    const counts: JobCounts = {
      waiting: 0,
      delayed: 0,
      active: 0,
      completed: queue.completed.size,
      failed: queue.failed.size,
    };
    for (const entry of queue.live.values()) {
      if (entry.state === "active") counts.active += 1;
      else if (entry.runAt > now) counts.delayed += 1;
      else counts.waiting += 1;
    }
    return counts;
  }
}

/** Public view of a retained entry (removed entries are never looked up). */
export function toJobInfo(entry: JobEntry, now: number): JobInfo {
  const info: JobInfo = {
    id: entry.id,
    queue: entry.queue,
    state: publicState(entry, now),
    data: structuredClone(entry.data),
    attemptsMade: entry.attemptsMade,
    maxAttempts: entry.attempts,
    createdAt: entry.createdAt,
  };
  if (entry.finishedAt !== undefined) info.finishedAt = entry.finishedAt;
  if (entry.failedReason !== undefined) info.failedReason = entry.failedReason;
  return info;
}

function publicState(entry: JobEntry, now: number): JobState {
  if (entry.state === "pending") return entry.runAt > now ? "delayed" : "waiting";
  if (entry.state === "removed") throw new Error(`job "${entry.id}" was removed`);
  return entry.state;
}

function toStored(entry: JobEntry, state: "pending" | "completed" | "failed"): Snapshot["jobs"][number] {
  const stored: Snapshot["jobs"][number] = {
    queue: entry.queue,
    id: entry.id,
    data: entry.data,
    createdAt: entry.createdAt,
    runAt: entry.runAt,
    attempts: entry.attempts,
    backoff: entry.backoff,
    attemptsMade: entry.attemptsMade,
    state,
    order: entry.order,
  };
  if (entry.finishedAt !== undefined) stored.finishedAt = entry.finishedAt;
  if (entry.failedReason !== undefined) stored.failedReason = entry.failedReason;
  return stored;
}

function keepNewest(map: Map<string, JobEntry>, entry: JobEntry, limit: number): void {
  map.set(entry.id, entry);
  while (map.size > limit) {
    const oldest = map.keys().next();
    if (oldest.done) return;
    map.delete(oldest.value);
  }
}
