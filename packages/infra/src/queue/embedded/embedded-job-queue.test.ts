import { spawn } from "node:child_process";
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../internal/logger";
import { sleep, waitFor } from "../../test-support/redis-test-backend";
import { EmbeddedJobQueue } from "./embedded-job-queue";
import { JOURNAL_FILE, SNAPSHOT_FILE } from "./journal-files";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "parley-embedded-queue-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const open = (extra: Partial<Parameters<typeof EmbeddedJobQueue.open>[0]> = {}) =>
  EmbeddedJobQueue.open({ dir, logger: silentLogger, ...extra });

describe("EmbeddedJobQueue durability", () => {
  it("keeps an acknowledged job when the process is killed with SIGKILL", async () => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        fileURLToPath(new URL("../../test-support/queue-crash-child.ts", import.meta.url)),
        dir,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    let errors = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      errors += chunk;
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      await waitFor(
        () => output.includes("added") || child.exitCode !== null,
        "the child to add its job",
        15_000,
      );
    } finally {
      // Killed without close(): only what add() acknowledged may be relied on.
      child.kill("SIGKILL");
      await exited;
    }
    expect(errors).toBe("");
    expect(output).toContain("added");

    const queue = await open();
    const runs: unknown[] = [];
    queue.process("timers", async (job) => {
      runs.push(job.data);
    });
    await waitFor(() => runs.length === 1, "the job written by the killed process");
    expect(runs).toEqual([{ conversationId: "c-crash" }]);
    await queue.close();
  });

  it("ignores a torn last journal line and keeps the records before it", async () => {
    const first = await open();
    await first.add("q", { n: 1 }, { jobId: "kept", delayMs: 60_000 });
    await first.close();
    // Simulate a crash after close: a complete record followed by half a record.
    const journal = path.join(dir, JOURNAL_FILE);
    const record = {
      s: 999,
      t: "add",
      job: {
        queue: "q",
        id: "from-journal",
        data: { n: 2 },
        createdAt: 1,
        runAt: 1,
        attempts: 1,
        backoff: { type: "fixed", delayMs: 0 },
        attemptsMade: 0,
      },
    };
    await appendFile(journal, `${JSON.stringify(record)}\n{"s":1000,"t":"add","job":{"queue":"q","id":"tor`);

    const second = await open();
    expect(await second.getJob("q", "kept")).toMatchObject({ state: "delayed", data: { n: 1 } });
    expect(await second.getJob("q", "from-journal")).toMatchObject({ data: { n: 2 } });
    expect(await second.getJob("q", "tor")).toBeUndefined();
    await second.close();
    expect(await readFile(journal, "utf8")).toBe("");
  });

  it("refuses a damaged journal with a message naming the file and line", async () => {
    const first = await open();
    await first.close();
    await writeFile(path.join(dir, JOURNAL_FILE), 'not json\n{"s":5,"t":"remove","queue":"q","id":"x"}\n');
    await expect(open()).rejects.toThrow(
      `the embedded job queue file ${path.join(dir, JOURNAL_FILE)} is damaged: line 1 is not valid JSON`,
    );
    await writeFile(
      path.join(dir, JOURNAL_FILE),
      '{"s":5,"t":"explode"}\n{"s":6,"t":"remove","queue":"q","id":"x"}\n',
    );
    await expect(open()).rejects.toThrow("line 1: unexpected");
    await writeFile(path.join(dir, JOURNAL_FILE), "");
    await writeFile(path.join(dir, SNAPSHOT_FILE), "{");
    await expect(open()).rejects.toMatchObject({ code: "QUEUE_DATA_CORRUPT" });
  });

  it("lets only one queue own a directory", async () => {
    const first = await open();
    await expect(open()).rejects.toMatchObject({ code: "QUEUE_DIR_IN_USE" });
    await expect(open()).rejects.toThrow("only one process may run it");
    await first.close();
    const again = await open();
    await again.close();
  });

  it("takes over a lock file left by a process that is gone", async () => {
    await writeFile(path.join(dir, "owner.lock"), JSON.stringify({ pid: 2_147_483_646, host: "elsewhere" }));
    const queue = await open();
    await queue.close();
  });

  it("compacts the journal into the snapshot and restores the same state", async () => {
    const queue = await open({ compactEvery: 5 });
    let runs = 0;
    queue.process("q", async () => {
      runs += 1;
    });
    for (let i = 0; i < 12; i += 1) await queue.add("q", { i }, { jobId: `job-${i}` });
    for (let i = 0; i < 4; i += 1) await queue.add("later", { i }, { jobId: `later-${i}`, delayMs: 60_000 });
    await waitFor(() => runs === 12, "the jobs");
    await sleep(50);
    const journalSize = (await stat(path.join(dir, JOURNAL_FILE))).size;
    expect(journalSize).toBeLessThan(5 * 400);
    await queue.close();

    const reopened = await open();
    expect(await reopened.counts("q")).toMatchObject({ completed: 12, waiting: 0 });
    expect(await reopened.counts("later")).toMatchObject({ delayed: 4 });
    expect(await reopened.getJob("later", "later-3")).toMatchObject({ data: { i: 3 } });
    await reopened.close();
  });

  it("keeps at most keepCompleted finished jobs and keepFailed failed jobs", async () => {
    const queue = await open({ keepCompleted: 2, keepFailed: 1 });
    queue.process("q", async (job) => {
      if ((job.data as { fail: boolean }).fail) throw new Error("no");
    });
    for (let i = 0; i < 4; i += 1) await queue.add("q", { fail: false }, { jobId: `ok-${i}` });
    for (let i = 0; i < 3; i += 1) await queue.add("q", { fail: true }, { jobId: `bad-${i}`, attempts: 1 });
    await waitFor(async () => {
      const counts = await queue.counts("q");
      return counts.waiting + counts.active === 0;
    }, "the jobs");
    expect(await queue.counts("q")).toMatchObject({ completed: 2, failed: 1 });
    expect((await queue.failed("q")).map((job) => job.id)).toEqual(["bad-2"]);
    // An id that fell out of retention can be used again.
    await queue.add("q", { fail: false }, { jobId: "ok-0" });
    await waitFor(async () => (await queue.getJob("q", "ok-0"))?.state === "completed", "ok-0 to run again");
    await queue.close();
  });

  it("runs jobs due at the same time in the order they were added", async () => {
    const queue = await open();
    const order: number[] = [];
    for (let i = 0; i < 10; i += 1) await queue.add("fifo", { i });
    queue.process("fifo", async (job) => {
      order.push((job.data as { i: number }).i);
    });
    await waitFor(() => order.length === 10, "the jobs");
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await queue.close();
  });
});
