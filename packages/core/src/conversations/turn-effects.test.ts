import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pendingTimerOf } from "@parley/engine";
import { createGuardedHttpClient, type Infrastructure, type Lock, type LockManager } from "@parley/infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CoreDeps, ServiceContext } from "../context";
import { createFlow, publishFlow } from "../flows/flows";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { rejection } from "../test-support/service-error";
import { getConversation, sendMessage, startConversation } from "./conversations";
import { hotKey, type LiveConversation } from "./load";
import { recoverPendingTimers, TIMER_QUEUE, timerJobId } from "./timer-jobs";
import { fireTimer } from "./timers";

const node = (id: string, kind: string, data: Record<string, unknown>, y: number) => ({
  id,
  kind,
  position: { x: 0, y },
  label: id,
  data,
});
const edge = (source: string, handle: string, target: string) => ({
  id: `${source}:${handle}:${target}`,
  source,
  sourceHandle: handle,
  target,
});

/** Asks a question, calls `url` with the answer, says the status, and asks again (each message: one call). */
const lookupFlow = (url: string) => ({
  version: 1,
  id: "lookup",
  name: "Lookup",
  variables: [
    { name: "q", type: "string", scope: "conversation" },
    { name: "status", type: "number", scope: "conversation" },
  ],
  settings: { language: "en" },
  nodes: [
    node("start", "start", {}, 0),
    node("ask", "ask", { prompt: "Look up?", input: { type: "text" }, saveTo: "q" }, 100),
    node("call", "http", { method: "GET", url: `${url}/lookup/{{ q }}`, saveStatusTo: "status" }, 200),
    node("said", "message", { text: "status {{ status }}" }, 300),
    node("failed", "message", { text: "lookup failed" }, 400),
  ],
  edges: [
    edge("start", "next", "ask"),
    edge("ask", "next", "call"),
    edge("call", "success", "said"),
    edge("call", "error", "failed"),
    edge("said", "next", "ask"),
    edge("failed", "next", "ask"),
    edge("ask", "error", "ask"),
  ],
});

/** Waits five minutes, then says goodbye. */
const waitFlow = () => ({
  version: 1,
  id: "wait",
  name: "Wait",
  variables: [],
  settings: { language: "en" },
  nodes: [
    node("start", "start", {}, 0),
    node("pause", "wait", { duration: { amount: 5, unit: "minutes" } }, 100),
    node("bye", "message", { text: "bye" }, 200),
    node("done", "end", { outcome: "completed" }, 300),
  ],
  edges: [edge("start", "next", "pause"), edge("pause", "next", "bye"), edge("bye", "next", "done")],
});

let harness: Harness;
let deps: CoreDeps;
let server: Server;
let baseUrl: string;
const calls: string[] = [];
/** Runs when the test server gets a request (before it answers). */
let onCall: ((url: string) => void) | undefined;

beforeAll(async () => {
  harness = await createHarness();
  // Real outbound HTTP through the guarded client (loopback allowed for the test server only).
  deps = { ...harness.deps, http: createGuardedHttpClient({ allowLoopback: true, allowedHosts: [] }) };
  server = createServer((request, response) => {
    calls.push(request.url ?? "");
    onCall?.(request.url ?? "");
    response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await harness?.cleanup();
});

/** A bot of a fresh tenant running `document`, and a context acting as its owner. */
async function botWith(document: Record<string, unknown>, name: string) {
  const seed = await seedTenant(deps, name);
  const ctx: ServiceContext = { ...seed.ctx, deps };
  const flow = await createFlow(ctx, { botId: seed.bot.id, document, entry: true });
  await publishFlow(ctx, flow.id, {});
  return { ctx, botId: seed.bot.id };
}

describe("a stale hot-cache entry", () => {
  it("is caught before the turn's http effect runs, so the retry calls the server exactly once", async () => {
    const { ctx, botId } = await botWith(lookupFlow(baseUrl), "Stale cache");
    const { conversationId } = await startConversation(ctx, botId, {});
    await sendMessage(ctx, conversationId, { text: "one" });
    const key = hotKey(ctx.tenantId, conversationId);
    const stale = await deps.infra.cache.get<LiveConversation>(key);
    expect(stale?.lastSeq).toBeGreaterThan(0);
    await sendMessage(ctx, conversationId, { text: "two" });
    expect(calls.filter((url) => url.startsWith("/lookup/"))).toEqual(["/lookup/one", "/lookup/two"]);

    // The cache now holds the conversation as it was two messages ago (a lost cache write).
    await deps.infra.cache.set(key, stale, { ttlMs: 60_000 });
    const reply = await sendMessage(ctx, conversationId, { text: "three" });

    expect(calls.filter((url) => url.startsWith("/lookup/"))).toEqual([
      "/lookup/one",
      "/lookup/two",
      "/lookup/three",
    ]);
    expect(reply.messages.map((message) => (message as { text?: string }).text)).toEqual([
      "status 200",
      "Look up?",
    ]);
    const transcript = await getConversation(ctx, conversationId);
    expect(transcript.entries.filter((entry) => entry.author === "user")).toHaveLength(3);
    expect(transcript.entries.map((entry) => entry.seq)).toEqual(transcript.entries.map((_, i) => i + 1));
  }, 60_000);
});

/** Asks, calls `url` with the answer and asks again; a failed call ends the conversation. */
const failureEndsFlow = (url: string) => ({
  ...lookupFlow(url),
  id: "failure-ends",
  nodes: [
    ...lookupFlow(url).nodes.filter((step) => step.id !== "failed"),
    node("done", "end", { outcome: "failed" }, 500),
  ],
  edges: [
    edge("start", "next", "ask"),
    edge("ask", "next", "call"),
    edge("call", "success", "said"),
    edge("call", "error", "done"),
    edge("said", "next", "ask"),
    edge("ask", "error", "ask"),
  ],
});

/** `infra` whose lock manager hands every lock it grants to `granted` (the test can then lose it). */
function infraSeeingLocks(infra: Infrastructure, granted: (lock: Lock) => void): Infrastructure {
  const locks = new Proxy(infra.locks, {
    get(target, property) {
      if (property === "withLock") {
        const withLock: LockManager["withLock"] = (key, fn, options) =>
          target.withLock(
            key,
            (lock) => {
              granted(lock);
              return fn(lock);
            },
            options,
          );
        return withLock;
      }
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return new Proxy(infra, {
    get: (target, property) => (property === "locks" ? locks : Reflect.get(target, property)),
  });
}

describe("a conversation lease lost during the turn", () => {
  it("refuses the message as conversation-busy (retry) instead of committing the error branch that ends the conversation", async () => {
    let held: Lock | undefined;
    const leaseDeps: CoreDeps = { ...deps, infra: infraSeeingLocks(harness.infra, (lock) => (held = lock)) };
    const seeded = await botWith(failureEndsFlow(baseUrl), "Lost lease");
    const ctx: ServiceContext = { ...seeded.ctx, deps: leaseDeps };
    const { conversationId } = await startConversation(ctx, seeded.botId, {});
    // The lease runs out while the effect waits (an overloaded process missed its renewals): the
    // lock's signal aborts the call, and the flow would take its error branch to `done`.
    onCall = (url) => {
      if (url.startsWith("/lookup/lost")) void held?.release();
    };
    try {
      const refused = await rejection(sendMessage(ctx, conversationId, { text: "lost" }));
      expect(refused).toMatchObject({ kind: "unavailable", code: "conversation-busy" });
      expect(refused.details.retryAfterSeconds).toBe(1);
    } finally {
      onCall = undefined;
    }
    const after = await getConversation(ctx, conversationId);
    expect(after.status).toBe("waiting");
    expect(after.entries.filter((entry) => entry.author === "user")).toHaveLength(0);

    // The resent message runs normally.
    const reply = await sendMessage(ctx, conversationId, { text: "again" });
    expect(reply.status).toBe("waiting");
    expect(reply.messages.map((message) => (message as { text?: string }).text)).toEqual([
      "status 200",
      "Look up?",
    ]);
  }, 60_000);
});

/** Waits five minutes, then calls `url`; a failed call ends the conversation. */
const waitThenCallFlow = (url: string) => ({
  version: 1,
  id: "wait-call",
  name: "Wait, then call",
  variables: [{ name: "status", type: "number", scope: "conversation" }],
  settings: { language: "en" },
  nodes: [
    node("start", "start", {}, 0),
    node("pause", "wait", { duration: { amount: 5, unit: "minutes" } }, 100),
    node("call", "http", { method: "GET", url: `${url}/lookup/timer`, saveStatusTo: "status" }, 200),
    node("said", "message", { text: "status {{ status }}" }, 300),
    node("ok", "end", { outcome: "completed" }, 400),
    node("done", "end", { outcome: "failed" }, 500),
  ],
  edges: [
    edge("start", "next", "pause"),
    edge("pause", "next", "call"),
    edge("call", "success", "said"),
    edge("call", "error", "done"),
    edge("said", "next", "ok"),
  ],
});

describe("a conversation lease lost during a timer's turn", () => {
  it("fails the job (retried) and leaves the conversation waiting, instead of committing the error branch", async () => {
    let held: Lock | undefined;
    const leaseDeps: CoreDeps = { ...deps, infra: infraSeeingLocks(harness.infra, (lock) => (held = lock)) };
    const seeded = await botWith(waitThenCallFlow(baseUrl), "Lost lease timer");
    const ctx: ServiceContext = { ...seeded.ctx, deps: leaseDeps };
    const { conversationId } = await startConversation(ctx, seeded.botId, {});
    const row = await deps.db.conversationStore(ctx.tenantId).load(conversationId);
    const timerId = pendingTimerOf(row.conversation?.snapshot)?.id ?? "";
    const job = { tenantId: ctx.tenantId, conversationId, timerId };
    onCall = (url) => {
      if (url === "/lookup/timer") void held?.release();
    };
    try {
      const refused = await rejection(fireTimer(leaseDeps, job));
      expect(refused).toMatchObject({ kind: "unavailable", code: "conversation-busy" });
    } finally {
      onCall = undefined;
    }
    expect((await getConversation(ctx, conversationId)).status).toBe("waiting");

    // The job's retry fires the timer normally.
    await fireTimer(leaseDeps, job);
    const done = await getConversation(ctx, conversationId);
    expect(done.status).toBe("ended");
    expect(done.entries.map((entry) => (entry.message as { text?: string }).text)).toContain("status 200");
  }, 60_000);
});

describe("timer recovery", () => {
  it("re-adds the job of a waiting conversation's timer when the job was lost", async () => {
    const { ctx, botId } = await botWith(waitFlow(), "Timer recovery");
    const { conversationId } = await startConversation(ctx, botId, {});
    const row = await deps.db.conversationStore(ctx.tenantId).load(conversationId);
    const timerId = pendingTimerOf(row.conversation?.snapshot)?.id ?? "";
    expect(timerId).not.toBe("");
    const jobId = timerJobId(conversationId, timerId);
    expect(await deps.infra.queue.getJob(TIMER_QUEUE, jobId)).toBeDefined();

    // A crash between the commit and the enqueue: the committed timer has no job.
    expect(await deps.infra.queue.remove(TIMER_QUEUE, jobId)).toBe(true);
    expect(await deps.infra.queue.getJob(TIMER_QUEUE, jobId)).toBeUndefined();

    expect(await recoverPendingTimers(deps)).toBeGreaterThanOrEqual(1);
    const job = await deps.infra.queue.getJob(TIMER_QUEUE, jobId);
    expect(job?.data).toEqual({ tenantId: ctx.tenantId, conversationId, timerId });
  }, 60_000);
});
