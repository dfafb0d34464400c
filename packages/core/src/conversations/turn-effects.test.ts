import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pendingTimerOf } from "@parley/engine";
import { createGuardedHttpClient } from "@parley/infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CoreDeps, ServiceContext } from "../context";
import { createFlow, publishFlow } from "../flows/flows";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { getConversation, sendMessage, startConversation } from "./conversations";
import { hotKey, type LiveConversation } from "./load";
import { recoverPendingTimers, TIMER_QUEUE, timerJobId } from "./timer-jobs";

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

beforeAll(async () => {
  harness = await createHarness();
  // Real outbound HTTP through the guarded client (loopback allowed for the test server only).
  deps = { ...harness.deps, http: createGuardedHttpClient({ allowLoopback: true, allowedHosts: [] }) };
  server = createServer((request, response) => {
    calls.push(request.url ?? "");
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
