import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CoreDeps } from "@parley/core";
import { createTestDatabase, type TestDatabase } from "@parley/db/testing";
import { createInfrastructure, generateKeyringEntry, type Infrastructure } from "@parley/infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedBot } from "./test-support/runtime-harness";

const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const runtimeDir = new URL("..", import.meta.url).pathname;

/** An endless echo flow: every user message gets "echo <text>" and the question again. */
const echoFlow = {
  version: 1,
  id: "echo",
  name: "Echo",
  variables: [{ name: "said", type: "string", scope: "conversation" }],
  settings: { language: "en" },
  nodes: [
    { id: "start", kind: "start", position: { x: 0, y: 0 }, data: {} },
    {
      id: "ask",
      kind: "ask",
      position: { x: 0, y: 100 },
      data: { prompt: "Say something", input: { type: "text" }, saveTo: "said", maxRetries: 1 },
    },
    { id: "echo", kind: "message", position: { x: 0, y: 200 }, data: { text: "echo {{ said }}" } },
    { id: "done", kind: "end", position: { x: 0, y: 300 }, data: {} },
  ],
  edges: [
    { id: "e1", source: "start", sourceHandle: "next", target: "ask" },
    { id: "e2", source: "ask", sourceHandle: "next", target: "echo" },
    { id: "e3", source: "ask", sourceHandle: "error", target: "done" },
    { id: "e4", source: "echo", sourceHandle: "next", target: "ask" },
  ],
};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`runtime exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/ready`)).ok) return;
    } catch {
      // not yet listening
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`runtime at ${url} did not become ready`);
}

describe("cluster mode: two runtime processes on Postgres and Redis", () => {
  let testDb: TestDatabase;
  let infra: Infrastructure;
  let dataDir: string;
  const children: ChildProcess[] = [];
  const prefix = `parley-cluster-${process.pid}-${Date.now()}:`;

  beforeAll(async () => {
    testDb = await createTestDatabase({ kind: "postgres" });
    dataDir = mkdtempSync(join(tmpdir(), "parley-cluster-"));
    infra = await createInfrastructure({ redisUrl: REDIS_URL, dataDir, keyPrefix: prefix, withQueue: false });
  }, 60_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await infra?.close();
    const { Redis } = await import("ioredis");
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await testDb?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it("loses, duplicates and reorders no acknowledged message when one process is killed mid-burst", async () => {
    const deps = { db: testDb.db, infra } as CoreDeps;
    const { bot, key } = await seedBot({ deps }, echoFlow);

    const secret = generateKeyringEntry("cluster");
    const urls: string[] = [];
    for (let index = 0; index < 2; index += 1) {
      const port = await freePort();
      const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: runtimeDir,
        env: {
          ...process.env,
          DATABASE_URL: testDb.url,
          REDIS_URL,
          PARLEY_REDIS_PREFIX: prefix,
          PARLEY_SECRET_KEY: secret,
          PARLEY_DATA_DIR: dataDir,
          RUNTIME_PORT: String(port),
          RUNTIME_RATE_LIMIT_CONVERSATION: "100000",
          LOG_LEVEL: "warn",
        },
        stdio: ["ignore", "ignore", "inherit"],
      });
      children.push(child);
      urls.push(`http://127.0.0.1:${port}`);
    }
    await Promise.all(urls.map((url, index) => waitHealthy(url, children[index]!)));

    const post = async (url: string, path: string, body: unknown) => {
      const response = await fetch(`${url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (response.status >= 500) throw new Error(`HTTP ${response.status}`);
      return {
        status: response.status,
        body: (await response.json()) as { conversationId?: string; messages: { text?: string }[] },
      };
    };
    const started = await post(urls[0]!, `/api/v1/bots/${bot.id}/conversations`, {});
    const id = started.body.conversationId!;

    const total = 40;
    const acknowledged: string[] = [];
    let killed = false;
    for (let i = 0; i < total; i += 1) {
      const text = `m-${i}`;
      const target = killed ? 0 : i % 2;
      if (i === total / 2) {
        // Kill process 1 while a request to it is in flight.
        setTimeout(() => {
          children[1]!.kill("SIGKILL");
          killed = true;
        }, 2);
      }
      let reply: Awaited<ReturnType<typeof post>> | undefined;
      const deadline = Date.now() + 30_000;
      for (let url = urls[target]!; Date.now() < deadline; url = urls[0]!) {
        try {
          reply = await post(url, `/api/v1/conversations/${id}/messages`, {
            text,
            clientMessageId: `c-${i}`,
          });
          if (reply.status === 200) break;
        } catch {
          // The process died, or the conversation is still locked by the dead process until its
          // lease runs out: resend the same message (same clientMessageId) to the survivor.
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      expect(reply?.status, text).toBe(200);
      expect(reply!.body.messages[0]?.text, text).toBe(`echo ${text}`);
      acknowledged.push(text);
    }
    expect(
      children[1]!.signalCode ?? (await new Promise((r) => children[1]!.once("exit", (_c, s) => r(s)))),
    ).toBe("SIGKILL");

    const transcript = await fetch(`${urls[0]}/api/v1/conversations/${id}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const { entries } = (await transcript.json()) as {
      entries: { seq: number; author: string; message: { text?: string } }[];
    };
    expect(entries.map((entry) => entry.seq)).toEqual(entries.map((_, index) => index + 1));
    const userTexts = entries.filter((entry) => entry.author === "user").map((entry) => entry.message.text);
    expect(userTexts).toEqual(acknowledged);
    const echoes = entries
      .filter((entry) => entry.message.text?.startsWith("echo "))
      .map((entry) => entry.message.text);
    expect(echoes).toEqual(acknowledged.map((text) => `echo ${text}`));
  }, 120_000);
});
