import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { silentLogger } from "../internal/logger";
import {
  deleteKeysWithPrefix,
  redisSuiteTitle,
  redisUnavailableReason,
  sleep,
  testRedisUrl,
  uniqueTestPrefix,
  waitFor,
} from "../test-support/redis-test-backend";
import { BullMqJobQueue } from "./bullmq/bullmq-job-queue";
import { EmbeddedJobQueue } from "./embedded/embedded-job-queue";
import { type JobContext, type JobQueue, PermanentJobError } from "./job-queue";

/** Opens a queue on the same storage every time it is called (a "process start"). */
type OpenQueue = () => Promise<{ queue: JobQueue; close: () => Promise<void> }>;

function jobQueueContract(openQueue: OpenQueue) {
  let counter = 0;
  const freshName = () => `q${++counter}-${Math.random().toString(36).slice(2, 8)}`;

  it("runs an added job once with its data and reports it completed", async () => {
    const { queue, close } = await openQueue();
    const name = freshName();
    const seen: JobContext[] = [];
    queue.process(name, async (job) => {
      seen.push(job);
    });
    const ref = await queue.add(name, { conversationId: "c1", at: new Date(0) });
    await waitFor(async () => (await queue.counts(name)).completed === 1, "completion");
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      id: ref.id,
      queue: name,
      data: { conversationId: "c1", at: "1970-01-01T00:00:00.000Z" },
      attempt: 1,
      maxAttempts: 3,
    });
    expect(await queue.counts(name)).toEqual({ waiting: 0, delayed: 0, active: 0, completed: 1, failed: 0 });
    expect(await queue.getJob(name, ref.id)).toMatchObject({
      id: ref.id,
      state: "completed",
      attemptsMade: 1,
    });
    await close();
  });

  it("runs a delayed job no earlier than its delay", async () => {
    const { queue, close } = await openQueue();
    const name = freshName();
    const ranAt: number[] = [];
    queue.process(name, async () => {
      ranAt.push(Date.now());
    });
    const addedAt = Date.now();
    const { id } = await queue.add(
      name,
      { kind: "timer" },
      { delayMs: 400, jobId: "timer:conv-1:wait-node" },
    );
    expect(id).toBe("timer:conv-1:wait-node");
    expect(await queue.counts(name)).toMatchObject({ delayed: 1, waiting: 0 });
    expect(await queue.getJob(name, id)).toMatchObject({ state: "delayed" });
    await waitFor(() => ranAt.length === 1, "the delayed job", 5_000);
    expect(ranAt[0]! - addedAt).toBeGreaterThanOrEqual(390);
    await close();
  });

  it("retries a failing job with exponential backoff", async () => {
    const { queue, close } = await openQueue();
    const name = freshName();
    const attempts: { attempt: number; at: number }[] = [];
    queue.process(name, async (job) => {
      attempts.push({ attempt: job.attempt, at: Date.now() });
      if (job.attempt < 3) throw new Error(`endpoint answered 503 (attempt ${job.attempt})`);
    });
    const { id } = await queue.add(name, {}, { attempts: 4, backoff: { type: "exponential", delayMs: 150 } });
    await waitFor(async () => (await queue.counts(name)).completed === 1, "the third attempt to succeed");
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(140);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(290);
    expect(await queue.getJob(name, id)).toMatchObject({
      state: "completed",
      attemptsMade: 3,
      maxAttempts: 4,
    });
    await close();
  });

  it("keeps a job that used up its attempts as failed, for inspection", async () => {
    const { queue, close } = await openQueue();
    const name = freshName();
    let runs = 0;
    queue.process(name, async () => {
      runs += 1;
      throw new Error("connection refused");
    });
    const { id } = await queue.add(
      name,
      { hook: "h1" },
      { attempts: 2, backoff: { type: "fixed", delayMs: 20 } },
    );
    await waitFor(async () => (await queue.counts(name)).failed === 1, "the job to fail");
    expect(runs).toBe(2);
    const failed = await queue.failed(name);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      id,
      state: "failed",
      data: { hook: "h1" },
      attemptsMade: 2,
      failedReason: "connection refused",
    });
    expect(failed[0]!.finishedAt).toBeGreaterThan(0);
    await close();
  });

  it("does not retry a PermanentJobError", async () => {
    const { queue, close } = await openQueue();
    const name = freshName();
    let runs = 0;
    queue.process(name, async () => {
      runs += 1;
      throw new PermanentJobError("subscriber answered 410 Gone");
    });
    const { id } = await queue.add(name, {}, { attempts: 5, backoff: { type: "fixed", delayMs: 10 } });
    await waitFor(async () => (await queue.counts(name)).failed === 1, "the job to fail");
    await sleep(100);
    expect(runs).toBe(1);
    expect(await queue.getJob(name, id)).toMatchObject({
      state: "failed",
      failedReason: "subscriber answered 410 Gone",
    });
    await close();
  });

  it("deduplicates by jobId, also after the job completed", async () => {
    const { queue, close } = await openQueue();
    const name = freshName();
    const runs: unknown[] = [];
    const refs = await Promise.all(
      [1, 2, 3].map((n) => queue.add(name, { n }, { jobId: "event:slack:Ev123", delayMs: 100 })),
    );
    expect(refs.map((r) => r.id)).toEqual(["event:slack:Ev123", "event:slack:Ev123", "event:slack:Ev123"]);
    queue.process(name, async (job) => {
      runs.push(job.data);
    });
    await waitFor(() => runs.length === 1, "the job");
    await waitFor(async () => (await queue.counts(name)).completed === 1, "completion");
    await queue.add(name, { n: 4 }, { jobId: "event:slack:Ev123" });
    await sleep(200);
    expect(runs).toEqual([{ n: 1 }]);
    expect(await queue.counts(name)).toMatchObject({ completed: 1, waiting: 0, delayed: 0 });
    await close();
  });

  it("cancels a job that has not run yet", async () => {
    const { queue, close } = await openQueue();
    const name = freshName();
    let runs = 0;
    queue.process(name, async () => {
      runs += 1;
    });
    const { id } = await queue.add(name, {}, { delayMs: 300, jobId: "timer:conv-9" });
    expect(await queue.remove(name, id)).toBe(true);
    expect(await queue.remove(name, id)).toBe(false);
    expect(await queue.getJob(name, id)).toBeUndefined();
    await sleep(500);
    expect(runs).toBe(0);
    expect(await queue.counts(name)).toEqual({ waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0 });
    await close();
  });

  it("runs at most `concurrency` jobs at once", async () => {
    const { queue, close } = await openQueue();
    const name = freshName();
    let running = 0;
    let maxRunning = 0;
    let done = 0;
    for (let i = 0; i < 6; i += 1) await queue.add(name, { i });
    queue.process(
      name,
      async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await sleep(120);
        running -= 1;
        done += 1;
      },
      { concurrency: 3 },
    );
    await waitFor(() => done === 6, "all jobs");
    expect(maxRunning).toBe(3);
    await close();
  });

  it("close() waits for running handlers", async () => {
    const { queue, close } = await openQueue();
    const name = freshName();
    let started = false;
    let finished = false;
    queue.process(name, async () => {
      started = true;
      await sleep(300);
      finished = true;
    });
    await queue.add(name, {});
    await waitFor(() => started, "the handler to start");
    await close();
    expect(finished).toBe(true);
    await expect(queue.add(name, {})).rejects.toThrow("the job queue is closed");
  });

  it("keeps a delayed job across a restart and runs it once", async () => {
    const name = freshName();
    const first = await openQueue();
    const addedAt = Date.now();
    await first.queue.add(name, { wake: "conv-7" }, { delayMs: 700, jobId: "timer:conv-7" });
    await first.close();

    const second = await openQueue();
    const runs: { data: unknown; at: number }[] = [];
    second.queue.process(name, async (job) => {
      runs.push({ data: job.data, at: Date.now() });
    });
    await waitFor(() => runs.length === 1, "the timer after restart", 5_000);
    await sleep(300);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.data).toEqual({ wake: "conv-7" });
    expect(runs[0]!.at - addedAt).toBeGreaterThanOrEqual(690);
    await waitFor(async () => (await second.queue.counts(name)).completed === 1, "completion");
    await second.close();

    const third = await openQueue();
    let reruns = 0;
    third.queue.process(name, async () => {
      reruns += 1;
    });
    await sleep(200);
    expect(reruns).toBe(0);
    expect(await third.queue.getJob(name, "timer:conv-7")).toMatchObject({ state: "completed" });
    await third.close();
  });

  it("rejects bad input with errors that name the problem", async () => {
    const { queue, close } = await openQueue();
    await expect(queue.add("bad:name", {})).rejects.toThrow('queue name "bad:name" must be 1-64 letters');
    await expect(queue.add("ok", {}, { jobId: "12345" })).rejects.toThrow('option "jobId"');
    await expect(queue.add("ok", {}, { jobId: "has space" })).rejects.toThrow('option "jobId"');
    await expect(queue.add("ok", {}, { attempts: 0 })).rejects.toThrow('option "attempts"');
    await expect(queue.add("ok", {}, { delayMs: -1 })).rejects.toThrow('option "delayMs"');
    await expect(queue.add("ok", {}, { retries: 3 } as never)).rejects.toThrow('job options for queue "ok"');
    await expect(queue.add("ok", undefined)).rejects.toThrow(
      'job data for queue "ok" must be JSON-serializable',
    );
    expect(() => queue.process("ok", async () => {}, { concurrency: 0 })).toThrow("concurrency must be");
    queue.process("ok", async () => {});
    expect(() => queue.process("ok", async () => {})).toThrow('queue "ok" already has a handler');
    await close();
  });
}

describe("JobQueue contract: embedded (journal on disk)", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "parley-queue-"));
  jobQueueContract(async () => {
    const queue = await EmbeddedJobQueue.open({ dir, logger: silentLogger });
    return { queue, close: () => queue.close() };
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
});

describe.skipIf(redisUnavailableReason !== undefined)(
  `JobQueue contract: ${redisSuiteTitle} (BullMQ)`,
  () => {
    const keyPrefix = uniqueTestPrefix("queue");
    jobQueueContract(async () => {
      const connection = new Redis(testRedisUrl, { maxRetriesPerRequest: null });
      const queue = new BullMqJobQueue({ connection, keyPrefix, logger: silentLogger });
      return {
        queue,
        close: async () => {
          await queue.close();
          await connection.quit();
        },
      };
    });
    afterAll(() => deleteKeysWithPrefix(keyPrefix));
  },
);
