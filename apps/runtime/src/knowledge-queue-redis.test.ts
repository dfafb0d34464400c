import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listKnowledgeDocuments, uploadKnowledgeDocument } from "@parley/core";
import { createInfrastructure, type Infrastructure } from "@parley/infra";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { flowEdge, flowNode } from "./test-support/flow-document";
import { seedBot, startTestRuntime, type TestRuntime } from "./test-support/runtime-harness";

/**
 * Cluster mode: the studio enqueues knowledge jobs on BullMQ itself (it never runs workers); the
 * runtime's worker indexes them. Real Postgres and Redis.
 */
let t: TestRuntime;
let studioInfra: Infrastructure;
let dataDir: string;

beforeAll(async () => {
  t = await startTestRuntime("postgres+redis", { RUNTIME_KNOWLEDGE_SWEEP_MS: "600000" });
  dataDir = mkdtempSync(join(tmpdir(), "parley-studio-like-"));
  studioInfra = await createInfrastructure({
    dataDir,
    redisUrl: t.env.REDIS_URL as string,
    keyPrefix: t.env.PARLEY_REDIS_PREFIX as string,
    logger: { info() {}, warn() {}, error() {} } as never,
  });
}, 120_000);

afterAll(async () => {
  await studioInfra?.close();
  await t?.cleanup();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("knowledge indexing through BullMQ", () => {
  it("indexes a document the studio enqueued, in the runtime's worker", async () => {
    const seed = await seedBot(t.runtime, {
      version: 1,
      id: "hello",
      name: "Hello",
      variables: [],
      settings: { language: "en" },
      nodes: [flowNode("start", "start", {}, 0), flowNode("done", "end", { outcome: "completed" }, 100)],
      edges: [flowEdge("start", "next", "done")],
    });
    // The studio's process: same database and Redis, its own infrastructure (a queue producer only).
    const studioCtx = { ...seed.ctx, deps: { ...t.runtime.deps, infra: studioInfra } };
    const { document } = await uploadKnowledgeDocument(studioCtx, seed.bot.id, {
      format: "markdown",
      content: "# Warranty\n\nEvery kettle carries a two year warranty.",
    });
    expect(document.status).toBe("pending");
    const ready = await vi.waitFor(
      async () => {
        const found = (await listKnowledgeDocuments(seed.ctx, seed.bot.id)).find((d) => d.id === document.id);
        if (found?.status !== "ready") throw new Error(`document is ${found?.status}`);
        return found;
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(ready).toMatchObject({ title: "Warranty", status: "ready" });
    expect(ready.chunkCount).toBeGreaterThan(0);
  });
});
