import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flowEdge, flowNode } from "./test-support/flow-document";
import { closeServer, listenOnLoopback } from "./test-support/loopback-server";
import { call, seedBot, startTestRuntime, type TestRuntime } from "./test-support/runtime-harness";

/** Asks a question, answers it through the llm node (route `slow`), then asks again. */
function oneLlmNodeFlow(): Record<string, unknown> {
  return {
    version: 1,
    id: "slow-model",
    name: "Slow model",
    variables: [{ name: "question", type: "string", scope: "conversation" }],
    settings: { language: "en" },
    nodes: [
      flowNode("start", "start", {}),
      flowNode("ask", "ask", { prompt: "Ask me", input: { type: "text" }, saveTo: "question" }),
      flowNode("ai", "llm", {
        prompt: "{{ question }}",
        modelRoute: "slow",
        mode: { type: "reply", stream: false },
        timeoutMs: 30_000,
      }),
      flowNode("done", "end", { outcome: "completed" }),
    ],
    edges: [
      flowEdge("start", "next", "ask"),
      flowEdge("ask", "next", "ai"),
      flowEdge("ask", "error", "done"),
      flowEdge("ai", "next", "ask"),
      flowEdge("ai", "error", "done"),
    ],
  };
}

/**
 * An OpenAI-compatible server that holds every chat completion until the test opens the gate, and
 * tells the test when `expected` requests are waiting at once.
 */
function gatedModelServer() {
  let waiting = 0;
  let peak = 0;
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => {
    openGate = resolve;
  });
  const watchers: { count: number; resolve: () => void }[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", async () => {
      const { model } = JSON.parse(body) as { model: string };
      waiting += 1;
      peak = Math.max(peak, waiting);
      for (const watcher of watchers.filter((w) => waiting >= w.count)) watcher.resolve();
      await gate;
      waiting -= 1;
      response.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          id: "chatcmpl-1",
          object: "chat.completion",
          created: 1,
          model,
          choices: [
            { index: 0, message: { role: "assistant", content: "It depends." }, finish_reason: "stop" },
          ],
          usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
        }),
      );
    });
  });
  return {
    server,
    open: () => openGate(),
    get peak() {
      return peak;
    },
    /** Resolves once `count` requests wait at the same time. */
    whenWaiting: (count: number) =>
      new Promise<void>((resolve) => {
        if (waiting >= count) resolve();
        else watchers.push({ count, resolve });
      }),
  };
}

describe.each(["embedded", "postgres+redis"] as const)(
  "a slow model does not throttle the runtime (%s, 2 admission slots)",
  (backend) => {
    const SLOTS = 2;
    const TURNS = 12;
    let t: TestRuntime;
    let seed: Awaited<ReturnType<typeof seedBot>>;
    let model: ReturnType<typeof gatedModelServer>;
    let modelUrl: string;

    beforeAll(async () => {
      model = gatedModelServer();
      modelUrl = await listenOnLoopback(model.server);
      t = await startTestRuntime(backend, {
        RUNTIME_MAX_CONCURRENT_REQUESTS: String(SLOTS),
        RUNTIME_MAX_QUEUE_MS: "60000",
      });
      seed = await seedBot(t.runtime, oneLlmNodeFlow());
      const admin = t.runtime.models.admin();
      await admin.saveProvider(seed.tenant.id, {
        name: "local",
        kind: "openai_compatible",
        baseUrl: `${modelUrl}/v1`,
        apiKey: "sk-local-0123456789",
      });
      await admin.saveRoute(seed.tenant.id, {
        name: "slow",
        isDefault: true,
        policy: {
          targets: [{ provider: "local", model: "slow-1" }],
          retry: { attempts: 1 },
          timeoutMs: 30_000,
        },
      });
    }, 90_000);

    afterAll(async () => {
      model?.open();
      await t?.cleanup();
      await closeServer(model?.server as Server | undefined);
    }, 30_000);

    it("keeps more turns than admission slots waiting on the model at once, and serves other requests meanwhile", async () => {
      const conversations: string[] = [];
      for (let i = 0; i < TURNS; i += 1) {
        const started = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
          key: seed.key,
          body: {},
        });
        expect(started.status).toBe(201);
        conversations.push(started.body.conversationId);
      }
      const turns = conversations.map((id) =>
        call(t.url, "POST", `/api/v1/conversations/${id}/messages`, {
          key: seed.key,
          body: { text: "Why?" },
        }),
      );
      // Every turn reaches the model while only SLOTS requests may do CPU work at once, and more turns
      // than the runtime has database connections (4 embedded, 10 on Postgres): a waiting turn holds none.
      await model.whenWaiting(TURNS);
      expect(model.peak).toBe(TURNS);
      // Nor is any transaction left open across the wait (a turn reads, calls the model, then commits).
      // One snapshot cannot tell a held transaction from a background job's momentary one, so a
      // transaction counts as held when it is open both before and after the next request.
      const before = await openTransactions(t);
      // The slots are free while the model thinks: a new conversation starts now.
      const meanwhile = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
        key: seed.key,
        body: {},
      });
      expect(meanwhile.status).toBe(201);
      const after = await openTransactions(t);
      const held = before.filter((tx) =>
        after.some((later) => later.pid === tx.pid && later.since === tx.since),
      );
      expect(held).toEqual([]);
      model.open();
      const replies = await Promise.all(turns);
      for (const reply of replies) {
        expect(reply.status).toBe(200);
        expect(reply.body.messages.map((m: { text?: string }) => m.text)).toContain("It depends.");
      }
    }, 60_000);
  },
);

/** Sessions of the test database idle inside a transaction, with the transaction's start. */
async function openTransactions(t: TestRuntime): Promise<{ pid: number; since: string; query: string }[]> {
  return t.testDb.db.system.$queryRawUnsafe(
    `SELECT pid, xact_start::text AS since, query FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'`,
  );
}
