import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import {
  json,
  type ScriptedHandler,
  type SeenRequest,
  sse,
  startScriptedServer,
} from "../../test/scripted-server";
import { createConversationApi } from "./api";
import { ChatSession, type ChatState } from "./session";
import { type ConversationStore, localConversationStore } from "./storage";

const greeting = { type: "text", nodeId: "hello", text: "Hi!", format: "plain", source: "flow" } as const;
const askName = {
  type: "ask",
  nodeId: "ask-size",
  text: "Which size?",
  attempt: 0,
  input: { kind: "choice", choices: [{ label: "Large (35 cm)", value: "large" }] },
} as const;

let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeServer?.();
  closeServer = undefined;
});

function memoryStore(initial?: string): ConversationStore & { value: string | undefined } {
  const store = {
    value: initial,
    get: () => store.value,
    set: (id: string) => {
      store.value = id;
    },
    clear: () => {
      store.value = undefined;
    },
  };
  return store;
}

async function setup(handler: ScriptedHandler, storedId?: string) {
  const server = await startScriptedServer(handler);
  closeServer = server.close;
  const store = memoryStore(storedId);
  const api = createConversationApi({ runtimeUrl: server.url, botId: "bot_1", publishableKey: "pk_test" });
  const session = new ChatSession({ api, store, retryDelaysMs: [5, 5], maxTypingMs: 20, handoffPollMs: 20 });
  const states: ChatState[] = [];
  session.subscribe((state) => states.push(state));
  return { server, store, session, states };
}

function createdHandler(request: SeenRequest, response: ServerResponse): boolean {
  if (request.method === "POST" && request.url === "/api/v1/bots/bot_1/conversations") {
    json(response, 201, { conversationId: "c_1", messages: [greeting], status: "waiting" });
    return true;
  }
  return false;
}

const messagesUrl = "/api/v1/conversations/c_1/messages";
const texts = (state: ChatState) =>
  state.items.map((item) =>
    item.kind === "bot"
      ? (item.message as { text?: string }).text
      : item.kind === "user"
        ? `> ${item.text}`
        : item.text,
  );

describe("ChatSession", () => {
  it("starts a web conversation with the publishable key and the variables set before", async () => {
    const { server, store, session } = await setup((request, response) => {
      createdHandler(request, response);
    });
    session.setVariables({ plan: "pro" });
    await session.ensureStarted();
    const create = server.seen[0];
    expect(create?.headers.authorization).toBe("Bearer pk_test");
    expect(create?.body).toEqual({ channel: "web", variables: { plan: "pro" } });
    expect(store.value).toBe("c_1");
    expect(texts(session.getState())).toEqual(["Hi!"]);
  });

  it("sends the visitor identity token the site set with identify() when it starts", async () => {
    const { server, session } = await setup((request, response) => {
      createdHandler(request, response);
    });
    session.identify("eyJhbGciOiJIUzI1NiJ9.e30.sig");
    await session.ensureStarted();
    expect(server.seen[0]?.body).toEqual({
      channel: "web",
      variables: {},
      identityToken: "eyJhbGciOiJIUzI1NiJ9.e30.sig",
    });
  });

  it("sends the browser's stable visitor id, the same for every conversation and bot", async () => {
    const server = await startScriptedServer((request, response) => {
      createdHandler(request, response);
    });
    closeServer = server.close;
    const items = new Map<string, string>();
    const storage = {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      removeItem: (key: string) => void items.delete(key),
    } as Storage;
    const api = createConversationApi({ runtimeUrl: server.url, botId: "bot_1", publishableKey: "pk_test" });
    for (let round = 0; round < 2; round += 1) {
      const session = new ChatSession({ api, store: localConversationStore("bot_1", storage) });
      await session.ensureStarted();
      session.dispose();
      items.delete("parley:bot_1:conversation");
    }
    const visitorId = items.get("parley:visitor");
    expect(visitorId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(server.seen.map((request) => request.body)).toEqual([
      { channel: "web", variables: {}, visitorId },
      { channel: "web", variables: {}, visitorId },
    ]);
    expect(localConversationStore("another-bot", storage).visitorId?.()).toBe(visitorId);
  });

  it("streams tokens into a draft that the final message replaces, pausing on typing", async () => {
    const { session, states } = await setup((request, response) => {
      if (createdHandler(request, response)) return;
      expect(request.headers.accept).toBe("text/event-stream");
      response.writeHead(200, { "content-type": "text/event-stream" });
      sse(response, "message", { type: "typing", nodeId: "llm", durationMs: 500 });
      for (const token of ["Pep", "per", "oni"])
        sse(response, "token", { nodeId: "llm", streamId: "s1", token });
      const final = { type: "text", nodeId: "llm", text: "Pepperoni", format: "plain", source: "llm" };
      sse(response, "message", final);
      sse(response, "done", { messages: [final], status: "waiting" });
      response.end();
    });
    await session.ensureStarted();
    await session.sendText("Recommend a pizza");
    const drafts = states.flatMap((state) =>
      state.items
        .filter((item) => item.kind === "stream")
        .map((item) => (item.kind === "stream" ? item.text : "")),
    );
    expect(drafts).toEqual(["Pep", "Pepper", "Pepperoni"]);
    expect(states.some((state) => state.typing)).toBe(true);
    const final = session.getState();
    expect(texts(final)).toEqual(["Hi!", "> Recommend a pizza", "Pepperoni"]);
    expect(final.items.some((item) => item.kind === "stream")).toBe(false);
    expect(final.typing).toBe(false);
  });

  it("retries a 503 with the same clientMessageId and shows reconnecting meanwhile", async () => {
    const { server, session, states } = await setup((request, response, index) => {
      if (createdHandler(request, response)) return;
      if (index === 0)
        return json(response, 503, { type: "about:blank", title: "Busy", status: 503, code: "busy" });
      json(response, 200, { messages: [{ ...greeting, text: "Got it" }], status: "waiting" });
    });
    await session.ensureStarted();
    await session.sendText("hello");
    const sends = server.seen.filter((request) => request.url === messagesUrl);
    expect(sends).toHaveLength(2);
    const ids = sends.map((request) => (request.body as { clientMessageId: string }).clientMessageId);
    expect(ids[0]).toMatch(/.{8,}/);
    expect(ids[1]).toBe(ids[0]);
    expect(states.map((state) => state.connection)).toContain("reconnecting");
    expect(session.getState().connection).toBe("online");
    expect(texts(session.getState())).toEqual(["Hi!", "> hello", "Got it"]);
  });

  it("discards a half-received turn when a cut stream is retried, so nothing shows twice", async () => {
    const reply = { ...greeting, nodeId: "r", text: "Once" };
    const { server, session } = await setup((request, response, index) => {
      if (createdHandler(request, response)) return;
      response.writeHead(200, { "content-type": "text/event-stream" });
      sse(response, "message", reply);
      if (index === 0) {
        // The connection dies before `done`.
        setTimeout(() => response.socket?.destroy(), 10);
        return;
      }
      sse(response, "done", { messages: [reply], status: "waiting" });
      response.end();
    });
    await session.ensureStarted();
    await session.sendText("hi");
    const sends = server.seen.filter((request) => request.url === messagesUrl);
    expect(sends).toHaveLength(2);
    // Not acknowledged without `done`: resent under the same clientMessageId (processed once).
    const ids = sends.map((request) => (request.body as { clientMessageId?: string }).clientMessageId);
    expect(ids[0]).toBeTruthy();
    expect(ids[1]).toBe(ids[0]);
    expect(texts(session.getState())).toEqual(["Hi!", "> hi", "Once"]);
  });

  it("marks a message failed after the retries, and a resend reuses its clientMessageId", async () => {
    let online = false;
    const { server, session } = await setup((request, response) => {
      if (createdHandler(request, response)) return;
      if (!online) return void response.socket?.destroy();
      json(response, 200, { messages: [{ ...greeting, text: "Delivered" }], status: "waiting" });
    });
    await session.ensureStarted();
    await session.sendText("are you there?");
    const failed = session.getState();
    expect(failed.connection).toBe("offline");
    const item = failed.items.find((entry) => entry.kind === "user");
    expect(item?.kind === "user" && item.state).toBe("failed");
    online = true;
    await session.resend(item?.id ?? "");
    const sends = server.seen.filter((request) => request.url === messagesUrl);
    expect(sends).toHaveLength(4);
    expect(
      new Set(sends.map((request) => (request.body as { clientMessageId: string }).clientMessageId)).size,
    ).toBe(1);
    expect(texts(session.getState())).toEqual(["Hi!", "> are you there?", "Delivered"]);
    expect(session.getState().connection).toBe("online");
  });

  it("does not retry a request the server rejected as invalid", async () => {
    const { server, session } = await setup((request, response) => {
      if (createdHandler(request, response)) return;
      json(
        response,
        422,
        { type: "about:blank", title: "Invalid", status: 422, code: "invalid", detail: "text is too long" },
        "application/problem+json",
      );
    });
    await session.ensureStarted();
    await session.sendText("x");
    expect(server.seen.filter((request) => request.url === messagesUrl)).toHaveLength(1);
    const item = session.getState().items.find((entry) => entry.kind === "user");
    expect(item?.kind === "user" && item.error).toBe("text is too long");
  });

  it("sends picked options as `choice` and shows their labels", async () => {
    const { server, session } = await setup((request, response) => {
      if (createdHandler(request, response)) return;
      json(response, 200, { messages: [], status: "waiting" });
    });
    await session.ensureStarted();
    await session.sendChoice(["cheese", "ham"], "Cheese, Ham");
    await session.sendChoice(["large"], "Large");
    const bodies = server.seen
      .filter((request) => request.url === messagesUrl)
      .map((request) => request.body);
    expect(bodies.map((body) => (body as { choice: unknown }).choice)).toEqual([["cheese", "ham"], "large"]);
    expect(texts(session.getState())).toEqual(["Hi!", "> Cheese, Ham", "> Large"]);
  });

  it("reloads a stored conversation from its transcript, with choice labels", async () => {
    const { server, session } = await setup((request, response) => {
      expect(request.url).toBe("/api/v1/conversations/c_9");
      json(response, 200, {
        conversationId: "c_9",
        botId: "bot_1",
        status: "waiting",
        channel: "web",
        startedAt: "2026-01-01T00:00:00Z",
        endedAt: null,
        entries: [
          { seq: 0, author: "bot", createdAt: "", message: askName },
          { seq: 1, author: "user", createdAt: "", message: { type: "user_choice", values: ["large"] } },
          { seq: 2, author: "bot", createdAt: "", message: { ...greeting, text: "Great" } },
        ],
      });
    }, "c_9");
    await session.ensureStarted();
    expect(server.seen).toHaveLength(1);
    expect(session.getState().conversationId).toBe("c_9");
    expect(texts(session.getState())).toEqual(["Which size?", "> Large (35 cm)", "Great"]);
  });

  it("starts afresh when the stored conversation is gone", async () => {
    const { store, session } = await setup((request, response) => {
      if (createdHandler(request, response)) return;
      json(response, 404, {
        type: "about:blank",
        title: "Not found",
        status: 404,
        code: "conversation-not-found",
      });
    }, "c_old");
    await session.ensureStarted();
    expect(store.value).toBe("c_1");
    expect(texts(session.getState())).toEqual(["Hi!"]);
  });

  it("polls for agent replies during a handoff and reports them", async () => {
    const handoff = { type: "handoff", nodeId: "h", priority: "normal" };
    let transcriptCalls = 0;
    const { session } = await setup((request, response) => {
      if (createdHandler(request, response)) return;
      if (request.url === messagesUrl) return json(response, 200, { messages: [handoff], status: "handoff" });
      transcriptCalls++;
      const entries = [
        { seq: 0, author: "bot", createdAt: "", message: greeting },
        { seq: 1, author: "user", createdAt: "", message: { type: "user_text", text: "human please" } },
        { seq: 2, author: "bot", createdAt: "", message: handoff },
      ];
      if (transcriptCalls > 1)
        entries.push({
          seq: 3,
          author: "agent",
          createdAt: "",
          message: { type: "agent_text", text: "Hi, I'm Sam" },
        });
      json(response, 200, {
        conversationId: "c_1",
        botId: "bot_1",
        status: "handoff",
        channel: "web",
        startedAt: "",
        endedAt: null,
        entries,
      });
    });
    const heard: unknown[] = [];
    session.on("message", (message) => heard.push(message));
    await session.ensureStarted();
    await session.sendText("human please");
    expect(session.getState().status).toBe("handoff");
    await expect.poll(() => texts(session.getState()), { timeout: 2000 }).toContain("Hi, I'm Sam");
    expect(heard).toContainEqual({ type: "agent_text", text: "Hi, I'm Sam" });
    expect(texts(session.getState()).filter((text) => text === "Hi, I'm Sam")).toHaveLength(1);
    session.dispose();
  });

  it("keeps sends in order even when the visitor types faster than the bot answers", async () => {
    const { server, session } = await setup((request, response) => {
      if (createdHandler(request, response)) return;
      const text = (request.body as { text: string }).text;
      setTimeout(
        () => json(response, 200, { messages: [{ ...greeting, text: `echo ${text}` }], status: "waiting" }),
        text === "1" ? 40 : 1,
      );
    });
    await session.ensureStarted();
    await Promise.all([session.sendText("1"), session.sendText("2")]);
    expect(
      server.seen
        .filter((request) => request.url === messagesUrl)
        .map((request) => (request.body as { text: string }).text),
    ).toEqual(["1", "2"]);
    expect(texts(session.getState())).toEqual(["Hi!", "> 1", "> 2", "echo 1", "echo 2"]);
  });
});
