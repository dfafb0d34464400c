/**
 * Push latency of the live agent inbox (`npm run bench:push -w @parley/bench`): how long a message
 * takes from the sender's request to the other side's server-sent event stream
 * (`GET /api/v1/conversations/{id}/events`), agent -> visitor and visitor -> agent, p50/p95, on:
 * - embedded: one runtime process, PGlite in its own process, in-process pub/sub;
 * - postgresRedis: two runtime processes on Postgres and Redis; the visitor talks to and listens on
 *   process B, the agent on process A, so every event crosses processes through Redis pub/sub.
 * Prints JSON. `BENCH_PUSH_SAMPLES` (default 40) messages each way.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CoreDeps,
  createApiKey,
  createBot,
  createFlow,
  createTenant,
  createUser,
  publishFlow,
  type ServiceContext,
} from "@parley/core";
import type { Database } from "@parley/db";
import { createInfrastructure } from "@parley/infra";
import { type Backend, embeddedBackend, postgresRedisBackend, type Skipped } from "../runtime/backends";
import { type Started, startRuntimeProcess, stop } from "../runtime/processes";

const SAMPLES = Number(process.env.BENCH_PUSH_SAMPLES ?? 40);
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";

const handoffFlow = {
  version: 1,
  id: "push",
  name: "Push",
  variables: [{ name: "question", type: "string", scope: "conversation" }],
  settings: { language: "en" },
  nodes: [
    { id: "start", kind: "start", position: { x: 0, y: 0 }, data: {} },
    {
      id: "ask",
      kind: "ask",
      position: { x: 0, y: 100 },
      data: { prompt: "What do you need?", input: { type: "text" }, saveTo: "question", maxRetries: 1 },
    },
    { id: "human", kind: "handoff", position: { x: 0, y: 200 }, data: { queue: "bench" } },
    { id: "done", kind: "end", position: { x: 0, y: 300 }, data: {} },
  ],
  edges: [
    { id: "e1", source: "start", sourceHandle: "next", target: "ask" },
    { id: "e2", source: "ask", sourceHandle: "next", target: "human" },
    { id: "e3", source: "ask", sourceHandle: "error", target: "done" },
    { id: "e4", source: "human", sourceHandle: "next", target: "ask" },
  ],
};

async function seedHandoffBot(db: Database) {
  const dataDir = mkdtempSync(join(tmpdir(), "parley-bench-push-"));
  const infra = await createInfrastructure({ dataDir, withQueue: false });
  try {
    const deps = { db, infra } as CoreDeps;
    const owner = await createUser(deps, { email: `push-${Date.now()}@example.com`, name: "Push" });
    const tenant = await createTenant(deps, { name: "Push", ownerUserId: owner.id });
    const ctx: ServiceContext = {
      deps,
      tenantId: tenant.id,
      actor: { type: "user", userId: owner.id, role: "owner", label: "bench" },
    };
    const bot = await createBot(ctx, { name: "Push", allowedOrigins: ["http://bench.test"] });
    const flow = await createFlow(ctx, { botId: bot.id, document: handoffFlow });
    await publishFlow(ctx, flow.id, {});
    const { key } = await createApiKey(ctx, { name: "agent", scopes: ["*"] });
    return { botId: bot.id, key, publishableKey: bot.publishableKey };
  } finally {
    await infra.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** An SSE reader that resolves waiters when a message event with a given text arrives. */
async function listen(url: string, headers: Record<string, string>) {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: { accept: "text/event-stream", ...headers },
    signal: abort.signal,
  });
  if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
  const waiters = new Map<string, (at: number) => void>();
  void (async () => {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        for (let cut = buffer.indexOf("\n\n"); cut >= 0; cut = buffer.indexOf("\n\n")) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (!block.includes("event: message")) continue;
          const data = block.split("\n").find((line) => line.startsWith("data: "));
          const text = (JSON.parse(data?.slice(6) ?? "{}") as { message?: { text?: string } }).message?.text;
          if (text) waiters.get(text)?.(performance.now());
        }
      }
    } catch {
      // closed
    }
  })();
  return {
    arrival: (text: string) => new Promise<number>((resolve) => waiters.set(text, resolve)),
    close: () => abort.abort(),
  };
}

async function post(
  base: string,
  path: string,
  key: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      origin: "http://bench.test",
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    Math.round((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0) * 100) / 100
  );
};

async function measure(backend: Backend, processes: number) {
  const seeded = await seedHandoffBot(backend.db);
  const runtimes: Started[] = [];
  try {
    for (let index = 0; index < processes; index++)
      runtimes.push(await startRuntimeProcess(backend.runtimeEnv));
    const agentUrl = runtimes[0]!.url;
    const visitorUrl = runtimes[runtimes.length - 1]!.url;
    const pk = seeded.publishableKey;
    const started = await post(visitorUrl, `/api/v1/bots/${seeded.botId}/conversations`, pk, {});
    const id = started.conversationId as string;
    await post(visitorUrl, `/api/v1/conversations/${id}/messages`, pk, { text: "help" });
    const visitor = await listen(`${visitorUrl}/api/v1/conversations/${id}/events`, {
      authorization: `Bearer ${pk}`,
      origin: "http://bench.test",
    });
    const agent = await listen(`${agentUrl}/api/v1/conversations/${id}/events`, {
      authorization: `Bearer ${seeded.key}`,
    });
    const agentToVisitor: number[] = [];
    const visitorToAgent: number[] = [];
    for (let index = 0; index < SAMPLES + 3; index++) {
      const outText = `agent ${index}`;
      const seen = visitor.arrival(outText);
      const sent = performance.now();
      await post(agentUrl, `/api/v1/conversations/${id}/messages`, seeded.key, {
        author: "agent",
        text: outText,
      });
      const outMs = (await seen) - sent;
      const inText = `visitor ${index}`;
      const heard = agent.arrival(inText);
      const asked = performance.now();
      await post(visitorUrl, `/api/v1/conversations/${id}/messages`, pk, { text: inText });
      const inMs = (await heard) - asked;
      // The first few warm up the processes' code paths.
      if (index >= 3) {
        agentToVisitor.push(outMs);
        visitorToAgent.push(inMs);
      }
    }
    visitor.close();
    agent.close();
    return {
      runtimeProcesses: processes,
      agentToVisitorMs: { p50: percentile(agentToVisitor, 50), p95: percentile(agentToVisitor, 95) },
      visitorToAgentMs: { p50: percentile(visitorToAgent, 50), p95: percentile(visitorToAgent, 95) },
    };
  } finally {
    for (const runtime of runtimes) await stop(runtime.child);
  }
}

const result: Record<string, unknown> = {
  bench: "push latency (sender's request start -> event on the other side's SSE stream)",
  samples: SAMPLES,
};
const embedded = await embeddedBackend();
try {
  result.embedded = await measure(embedded, 1);
} finally {
  await embedded.close();
}
const cluster: Backend | Skipped = await postgresRedisBackend(ADMIN_URL, REDIS_URL);
if ("skipped" in cluster) result.postgresRedis = cluster;
else {
  try {
    result.postgresRedis = await measure(cluster, 2);
  } finally {
    await cluster.close();
  }
}
console.log(JSON.stringify(result, null, 2));
