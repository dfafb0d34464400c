import type { JobContext, JobQueue } from "@parley/infra";
import type { CoreDeps } from "../context";

/**
 * Channel work a worker process runs at once, in process, instead of through a queue round trip
 * (internal). The stored inbound event (Postgres) and the committed reply (the transcript) are the
 * durable records; the job queue stays the way work is retried (backoff, Retry-After), the
 * overflow when this process is busy, and the recovery sweep's way back in after a crash. A queue
 * job costs three Redis scripts (add, take, finish) and a worker wake-up; at a hundred messages a
 * second those were most of Redis's CPU and a fifth of the runtime's.
 *
 * Work on one key (a thread, a conversation's deliveries) is coalesced within the process: while
 * a drain of that key runs here, a new request only asks it for one more pass, so the process
 * never waits on its own distributed lock. When `concurrency` drains run, further keys wait here
 * in arrival order (up to {@link MAX_BACKLOG}; a key waits once whatever its requests) instead of
 * going through the queue: under load, a queue job per message cost Redis scripts and worker
 * wake-ups just when the process had the least to spare. What waits here is durable all the same
 * (a stored event, a committed reply): the recovery sweep takes it up after a crash.
 */
interface LocalWork {
  readonly concurrency: number;
  /** Delivers a conversation's due replies (the delivery queue's handler, without the job). */
  readonly deliver: (job: { tenantId: string; conversationId: string }, more: () => boolean) => Promise<void>;
  running: number;
  /** Keys draining here -> whether another pass was asked for since the drain's last read. */
  readonly active: Map<string, { again: boolean }>;
  /** Keys waiting for a free drain, in arrival order. */
  readonly backlog: Map<string, { drain: Drain; onError: (error: unknown) => void }>;
}

/** Most keys waiting in a process for a free drain; beyond it the caller queues the work. */
export const MAX_BACKLOG = 2_000;

/** Per process, keyed by its job queue (one per composed core). */
const registry = new WeakMap<JobQueue, LocalWork>();

/** Runs channel work in this process from now on, at most `concurrency` drains at a time (internal). */
export function enableLocalChannelWork(
  deps: CoreDeps,
  options: { concurrency: number; deliver: LocalWork["deliver"] },
): void {
  registry.set(deps.infra.queue, { ...options, running: 0, active: new Map(), backlog: new Map() });
}

/** The local runner of a process that serves the channel queues, or undefined. */
const localOf = (deps: CoreDeps) => registry.get(deps.infra.queue);

/**
 * One drain of `key`: `drain(more)` runs passes until it finds nothing more, asking `more()` before
 * it stops, which says (once) whether work arrived for the key since its last read.
 */
export type Drain = (more: () => boolean) => Promise<void>;

/**
 * Runs `drain` for `key` in this process: now, or coalesced with a drain of the same key running
 * here (then that drain only makes one more pass, and nothing else runs), or once a drain is free
 * when this process is at its limit (a key already waiting takes nothing more: its drain reads
 * everything). Returns false, running nothing, when this process does not serve the channel queues
 * or its backlog is full (the caller queues the work instead). `onError` gets what the drain threw
 * (the caller has answered already: re-queueing is its job).
 */
export function runLocally(
  deps: CoreDeps,
  key: string,
  drain: Drain,
  onError: (error: unknown) => void,
): boolean {
  const local = localOf(deps);
  if (!local) return false;
  const active = local.active.get(key);
  if (active) {
    active.again = true;
    return true;
  }
  if (local.running >= local.concurrency) {
    if (local.backlog.has(key)) return true;
    if (local.backlog.size >= MAX_BACKLOG) return false;
    local.backlog.set(key, { drain, onError });
    return true;
  }
  void drainCoalesced(local, key, drain).catch(onError);
  return true;
}

/** Starts waiting keys while drains are free (a key that started draining meanwhile is asked for a pass). */
function startWaiting(local: LocalWork): void {
  while (local.running < local.concurrency) {
    const next = local.backlog.entries().next();
    if (next.done) return;
    const [key, { drain, onError }] = next.value;
    local.backlog.delete(key);
    const active = local.active.get(key);
    if (active) active.again = true;
    else void drainCoalesced(local, key, drain).catch(onError);
  }
}

/**
 * Runs `drain` for `key` under the process's coalescing (for queue jobs): when a drain of the key
 * already runs here, asks it for one more pass and returns at once (the job is done: that drain
 * reads what the job stood for).
 */
export async function drainHere(deps: CoreDeps, key: string, drain: Drain): Promise<void> {
  const local = localOf(deps);
  if (!local) return drain(() => false);
  const active = local.active.get(key);
  if (active) {
    active.again = true;
    return;
  }
  return drainCoalesced(local, key, drain);
}

async function drainCoalesced(local: LocalWork, key: string, drain: Drain): Promise<void> {
  const state = { again: false };
  local.active.set(key, state);
  local.running += 1;
  const more = () => {
    const again = state.again;
    state.again = false;
    return again;
  };
  try {
    // A request after the drain's last `more()` (while it released its lock, say) is one more drain.
    do await drain(more);
    while (more());
  } finally {
    // Synchronous with the last `more()` (no await in between): a request after this point finds
    // no drain here and starts its own.
    local.running -= 1;
    if (local.active.get(key) === state) local.active.delete(key);
    startWaiting(local);
  }
}

/** The coalescing key of a conversation's deliveries (internal). */
export const deliveryKey = (conversationId: string) => `delivery:${conversationId}`;

/**
 * Delivers a conversation's due replies now, in this process (see {@link runLocally}); false when
 * the caller must queue the delivery instead.
 */
export function deliverLocally(
  deps: CoreDeps,
  job: { tenantId: string; conversationId: string },
  onError: (error: unknown) => void,
): boolean {
  const local = localOf(deps);
  if (!local) return false;
  return runLocally(deps, deliveryKey(job.conversationId), (more) => local.deliver(job, more), onError);
}

/** The job context a local first attempt runs with: a passing failure goes back to the queue. */
export const localAttempt = (queue: string, id: string, data: unknown): JobContext => ({
  id,
  queue,
  data,
  attempt: 1,
  maxAttempts: 2,
});
