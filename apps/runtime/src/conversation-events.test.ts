import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRuntimeEnv } from "./env";
import { type RunningRuntime, startRuntime } from "./runtime";
import { call, seedBot, startTestRuntime, type TestRuntime } from "./test-support/runtime-harness";

/** Asks a question, hands off to the `vip` queue, and after the hand back asks again. */
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
    { id: "human", kind: "handoff", position: { x: 0, y: 200 }, data: { queue: "vip", priority: "high" } },
    { id: "done", kind: "end", position: { x: 0, y: 300 }, data: {} },
  ],
  edges: [
    { id: "e1", source: "start", sourceHandle: "next", target: "ask" },
    { id: "e2", source: "ask", sourceHandle: "next", target: "human" },
    { id: "e3", source: "ask", sourceHandle: "error", target: "done" },
    { id: "e4", source: "human", sourceHandle: "next", target: "ask" },
  ],
};

interface StreamEvent {
  id?: string;
  event: string;
  data: unknown;
}

/** Reads a server-sent event stream over real HTTP, collecting events as they arrive. */
async function openStream(url: string, headers: Record<string, string>) {
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  const events: StreamEvent[] = [];
  const comments: string[] = [];
  const reading = (async () => {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let cut = buffer.indexOf("\n\n");
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          cut = buffer.indexOf("\n\n");
          const event: StreamEvent = { event: "message", data: undefined };
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) comments.push(line);
            else if (line.startsWith("id: ")) event.id = line.slice(4);
            else if (line.startsWith("event: ")) event.event = line.slice(7);
            else if (line.startsWith("data: ")) event.data = JSON.parse(line.slice(6));
          }
          if (event.data !== undefined) events.push(event);
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    response,
    events,
    comments,
    messages: () => events.filter((event) => event.event === "message"),
    close: async () => {
      abort.abort();
      await reading;
    },
  };
}

describe("GET /api/v1/conversations/{id}/events over real HTTP", () => {
  let first: TestRuntime;
  let second: RunningRuntime;

  beforeAll(async () => {
    first = await startTestRuntime("postgres+redis");
    // A second runtime process on the same database and Redis: events cross between them.
    second = await startRuntime(loadRuntimeEnv({ ...first.env }), pino({ level: "silent" }));
  }, 90_000);
  afterAll(async () => {
    await second?.close();
    await first?.cleanup();
  }, 60_000);

  it("pushes agent messages to the widget across processes, resumes after Last-Event-ID, refuses strangers", async () => {
    const { bot, key } = await seedBot(first.runtime, handoffFlow, { origins: ["http://shop.test"] });
    const pk = (bot as { publishableKey: string }).publishableKey;
    const started = await call(first.url, "POST", `/api/v1/bots/${bot.id}/conversations`, {
      key: pk,
      body: {},
    });
    const id = started.body.conversationId as string;
    const handed = await call(first.url, "POST", `/api/v1/conversations/${id}/messages`, {
      key: pk,
      body: { text: "help" },
    });
    expect(handed.body.status).toBe("handoff");

    // The visitor listens on process 2 with EventSource's URL key; the agent writes on process 1.
    const visitor = await openStream(`${second.url}/api/v1/conversations/${id}/events?access_token=${pk}`, {
      accept: "text/event-stream",
    });
    expect(visitor.response.status).toBe(200);
    expect(visitor.response.headers.get("content-type")).toContain("text/event-stream");
    await expect.poll(() => visitor.events.some((event) => event.event === "status")).toBe(true);
    const agentSse = await openStream(`${first.url}/api/v1/conversations/${id}/events`, {
      authorization: `Bearer ${key}`,
    });
    await expect.poll(() => agentSse.events.some((event) => event.event === "status")).toBe(true);

    const sentAt = Date.now();
    await call(first.url, "POST", `/api/v1/conversations/${id}/messages`, {
      key,
      body: { author: "agent", text: "Hi, I am Ann" },
    });
    await expect
      .poll(() =>
        visitor.messages().map((event) => (event.data as { message: { text?: string } }).message.text),
      )
      .toContain("Hi, I am Ann");
    expect(Date.now() - sentAt).toBeLessThan(1_000);
    // Visitor -> agent, typing and notes (the note only to the agent).
    await call(second.url, "POST", `/api/v1/conversations/${id}/typing`, { key: pk, body: { typing: true } });
    await call(second.url, "POST", `/api/v1/conversations/${id}/messages`, {
      key: pk,
      body: { text: "thanks" },
    });
    await call(first.url, "POST", `/api/v1/conversations/${id}/notes`, { key, body: { text: "internal" } });
    await expect
      .poll(() => agentSse.events.map((event) => event.event))
      .toEqual(expect.arrayContaining(["typing", "note"]));
    await expect
      .poll(() =>
        agentSse.messages().map((event) => (event.data as { message: { text?: string } }).message.text),
      )
      .toContain("thanks");
    expect(JSON.stringify(visitor.events)).not.toContain("internal");
    const seen = visitor.messages().map((event) => Number(event.id));
    expect(seen).toEqual([...new Set(seen)].sort((a, b) => a - b));
    await visitor.close();

    // Missed while away: two more agent messages; the reconnect replays exactly those.
    for (const text of ["one", "two"]) {
      await call(first.url, "POST", `/api/v1/conversations/${id}/messages`, {
        key,
        body: { author: "agent", text },
      });
    }
    const resumed = await openStream(`${second.url}/api/v1/conversations/${id}/events`, {
      authorization: `Bearer ${pk}`,
      origin: "http://shop.test",
      "last-event-id": String(seen.at(-1)),
    });
    await expect.poll(() => resumed.messages().length).toBe(2);
    expect(resumed.messages().map((event) => Number(event.id))).toEqual([
      (seen.at(-1) as number) + 1,
      (seen.at(-1) as number) + 2,
    ]);
    // Hand back: the status event says so.
    await call(first.url, "POST", `/api/v1/conversations/${id}/handback`, { key, body: {} });
    await expect
      .poll(() =>
        resumed.events
          .filter((event) => event.event === "status")
          .map((event) => (event.data as { status: string }).status),
      )
      .toContain("waiting");
    await resumed.close();
    await agentSse.close();

    // A secret key never rides in the URL; an unknown conversation is a 404.
    const leaked = await call(first.url, "GET", `/api/v1/conversations/${id}/events?access_token=${key}`);
    expect(leaked.status).toBe(401);
    const missing = await call(
      first.url,
      "GET",
      `/api/v1/conversations/00000000-0000-7000-8000-000000000000/events`,
      {
        key,
      },
    );
    expect(missing.status).toBe(404);
  }, 60_000);
});
