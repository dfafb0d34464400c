/**
 * FAKE RUNTIME, for widget tests only: a small HTTP server that speaks the conversation API of
 * @parley/contract (create, send with SSE or JSON, transcript, problem+json errors, CORS for allowed
 * origins, publishable-key auth, clientMessageId idempotency) and plays a scripted copy of the
 * pizza-order demo flow. It also serves `/widget.js` and `/demo` the way the real runtime does,
 * through `@parley/widget/server`. The same tests run against the real runtime (see harness.ts).
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { OutgoingMessage, Problem, TranscriptEntry, TurnResponse } from "@parley/contract";
import { ensureWidgetBuilt, renderDemoPage } from "@parley/widget/server";

/** The bot the fake knows. */
export const fakeBot = { botId: "bot_demo", publishableKey: "pk_demo_fake" } as const;

type Step = "name" | "size" | "phone" | "done";
type Event =
  | { event: "message"; data: OutgoingMessage }
  | { event: "token"; data: unknown }
  | { event: "done"; data: TurnResponse };

interface Conversation {
  id: string;
  step: Step;
  status: TurnResponse["status"];
  variables: Record<string, string>;
  entries: TranscriptEntry[];
  /** Replies by clientMessageId: a resend gets the same answer and changes nothing. */
  answered: Map<string, Event[]>;
}

const sizes = [
  { label: "Small (25 cm)", value: "small" },
  { label: "Medium (30 cm)", value: "medium" },
  { label: "Large (35 cm)", value: "large" },
];
const text = (nodeId: string, value: string, format: "plain" | "markdown" = "plain"): OutgoingMessage => ({
  type: "text",
  nodeId,
  text: value,
  format,
  source: "flow",
});
const typing = (nodeId: string): OutgoingMessage => ({ type: "typing", nodeId, durationMs: 300 });

/** Starts the fake on an ephemeral port. `delayMs` slows every reply (for the connection-loss test). */
export async function startFakeRuntime() {
  const conversations = new Map<string, Conversation>();
  let counter = 0;
  /** How many turns the fake processed (resends excluded): tests check nothing was processed twice. */
  const processed: string[] = [];
  let origin = "";

  function problem(response: ServerResponse, status: number, code: string, detail: string): void {
    const body: Problem = {
      type: `https://parley.dev/problems/${code}`,
      title: detail,
      status,
      code,
      detail,
    };
    response.writeHead(status, { "content-type": "application/problem+json" });
    response.end(JSON.stringify(body));
  }

  function record(
    conversation: Conversation,
    author: TranscriptEntry["author"],
    message: TranscriptEntry["message"],
  ) {
    conversation.entries.push({
      seq: conversation.entries.length,
      author,
      createdAt: new Date().toISOString(),
      message,
    });
  }

  /** Plays the demo flow one step for the user's answer. */
  function turn(conversation: Conversation, body: { text?: string; choice?: string | string[] }): Event[] {
    const events: Event[] = [];
    const say = (message: OutgoingMessage) => {
      events.push({ event: "message", data: message });
      if (message.type !== "typing") record(conversation, "bot", message);
    };
    const answer = body.text ?? (Array.isArray(body.choice) ? body.choice.join(",") : (body.choice ?? ""));
    record(
      conversation,
      "user",
      body.text !== undefined
        ? { type: "user_text", text: body.text }
        : { type: "user_choice", values: [answer] },
    );
    if (body.text?.startsWith("/llm ")) {
      // An LLM node's streamed reply: tokens first, then the complete message.
      const reply = "Our **Margherita** is the crowd favourite: tomato, mozzarella and basil.";
      const words = reply.split(/(?<= )/);
      for (const token of words)
        events.push({ event: "token", data: { nodeId: "llm", streamId: "s1", token } });
      say({ type: "text", nodeId: "llm", text: reply, format: "markdown", source: "llm" });
    } else if (conversation.step === "name") {
      conversation.variables.customerName = answer;
      conversation.step = "size";
      say(typing("ask-size"));
      say({
        type: "ask",
        nodeId: "ask-size",
        text: `Nice to meet you, ${answer}! Which size would you like?`,
        attempt: 0,
        input: { kind: "choice", multiple: false, choices: sizes },
      });
    } else if (conversation.step === "size") {
      const size = sizes.find((option) => option.value === answer || option.label === answer);
      if (!size)
        say({
          type: "ask",
          nodeId: "ask-size",
          text: "Please pick one of the sizes.",
          attempt: 1,
          input: { kind: "choice", choices: sizes },
        });
      else {
        conversation.variables.size = size.value;
        conversation.step = "phone";
        say(typing("ask-phone"));
        say({
          type: "ask",
          nodeId: "ask-phone",
          text: "What phone number can we reach you at?",
          attempt: 0,
          input: { kind: "phone", hint: "e.g. +1 555 123 4567" },
        });
      }
    } else if (conversation.step === "phone") {
      if (!/^\+?[\d\s().-]{7,}$/.test(answer))
        say({
          type: "ask",
          nodeId: "ask-phone",
          text: "That doesn't look like a phone number. Please try again, e.g. +1 555 123 4567.",
          attempt: 1,
          input: { kind: "phone" },
        });
      else {
        conversation.variables.phone = answer;
        conversation.step = "done";
        const { customerName, size } = conversation.variables;
        if (size === "large")
          say(text("large-bonus", "Great choice! Large pizzas come with free garlic bread."));
        say(
          text(
            "confirmation",
            `Thanks ${customerName}! Your ${size} pizza is in the oven. We'll text ${answer} when it's on its way.`,
          ),
        );
        say({ type: "end", nodeId: "order-placed", reason: "completed", outcome: "order-placed" });
        conversation.status = "ended";
      }
    }
    events.push({
      event: "done",
      data: {
        messages: events.flatMap((event) => (event.event === "message" ? [event.data] : [])),
        status: conversation.status,
      },
    });
    return events;
  }

  async function readJson(request: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    return raw ? JSON.parse(raw) : {};
  }

  async function deliver(request: IncomingMessage, response: ServerResponse, events: Event[]): Promise<void> {
    if (!(request.headers.accept ?? "").includes("text/event-stream")) {
      const done = events.at(-1);
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(done?.event === "done" ? done.data : {}));
      return;
    }
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
    for (const event of events) {
      response.write(`event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
      // Tokens trickle like an LLM's; other events go out at once.
      if (event.event === "token") await new Promise((resolve) => setTimeout(resolve, 25));
    }
    response.end();
  }

  async function api(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    if (request.headers.authorization !== `Bearer ${fakeBot.publishableKey}`)
      return problem(response, 401, "unauthorized", "missing or unknown publishable key");
    const configMatch = /^\/api\/v1\/widget\/bots\/([^/]+)\/config$/.exec(path);
    if (configMatch && request.method === "GET") {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          theme: {
            title: "Parley Pizza",
            subtitle: "Orders in a minute",
            primaryColor: "#b3261e",
            greeting: "Hi! I take pizza orders.",
          },
        }),
      );
      return;
    }
    const createMatch = /^\/api\/v1\/bots\/([^/]+)\/conversations$/.exec(path);
    if (createMatch && request.method === "POST") {
      if (createMatch[1] !== fakeBot.botId) return problem(response, 404, "bot-not-found", "no such bot");
      await readJson(request);
      const id = `conv_${++counter}`;
      const conversation: Conversation = {
        id,
        step: "name",
        status: "waiting",
        variables: {},
        entries: [],
        answered: new Map(),
      };
      conversations.set(id, conversation);
      const messages: OutgoingMessage[] = [
        text("greeting", "Welcome to Parley Pizza! 🍕 I can take your order in a minute."),
        typing("ask-name"),
        { type: "ask", nodeId: "ask-name", text: "What's your name?", attempt: 0, input: { kind: "text" } },
      ];
      for (const message of messages) if (message.type !== "typing") record(conversation, "bot", message);
      response.writeHead(201, { "content-type": "application/json" });
      response.end(JSON.stringify({ conversationId: id, messages, status: "waiting" }));
      return;
    }
    const messageMatch = /^\/api\/v1\/conversations\/([^/]+)\/messages$/.exec(path);
    if (messageMatch && request.method === "POST") {
      const conversation = conversations.get(messageMatch[1] ?? "");
      if (!conversation) return problem(response, 404, "conversation-not-found", "no such conversation");
      const body = (await readJson(request)) as {
        text?: string;
        choice?: string | string[];
        clientMessageId?: string;
      };
      const key = body.clientMessageId;
      let events = key ? conversation.answered.get(key) : undefined;
      if (!events) {
        if (conversation.status === "ended")
          return problem(response, 409, "conversation-ended", "the conversation has ended");
        events = turn(conversation, body);
        processed.push(key ?? "");
        if (key) conversation.answered.set(key, events);
      }
      return deliver(request, response, events);
    }
    const transcriptMatch = /^\/api\/v1\/conversations\/([^/]+)$/.exec(path);
    if (transcriptMatch && request.method === "GET") {
      const conversation = conversations.get(transcriptMatch[1] ?? "");
      if (!conversation) return problem(response, 404, "conversation-not-found", "no such conversation");
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          conversationId: conversation.id,
          botId: fakeBot.botId,
          status: conversation.status,
          channel: "web",
          startedAt: conversation.entries[0]?.createdAt ?? new Date().toISOString(),
          endedAt: null,
          entries: conversation.entries,
        }),
      );
      return;
    }
    problem(response, 404, "not-found", `no route ${request.method} ${path}`);
  }

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", origin);
    try {
      if (url.pathname === "/widget.js") {
        const code = await readFile(await ensureWidgetBuilt());
        response.writeHead(200, {
          "content-type": "text/javascript; charset=utf-8",
          "cache-control": "no-cache",
        });
        response.end(code);
        return;
      }
      if (url.pathname === "/demo") {
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        response.end(
          renderDemoPage({
            ...fakeBot,
            runtimeUrl: origin,
            mode: url.searchParams.get("mode") === "inline" ? "inline" : "bubble",
          }),
        );
        return;
      }
      if (url.pathname.startsWith("/api/")) {
        // CORS: only pages on the bot's allowed origins (here: the fake's own origin) may call.
        const from = request.headers.origin;
        if (from && from !== origin)
          return problem(response, 403, "origin-not-allowed", `origin ${from} is not allowed for this bot`);
        if (from) response.setHeader("access-control-allow-origin", from);
        if (request.method === "OPTIONS") {
          response.writeHead(204, {
            "access-control-allow-methods": "GET, POST",
            "access-control-allow-headers": "authorization, content-type, accept",
            "access-control-max-age": "600",
          });
          response.end();
          return;
        }
        await api(request, response, url.pathname);
        return;
      }
      problem(response, 404, "not-found", `no route ${request.method} ${url.pathname}`);
    } catch (error) {
      problem(response, 500, "internal", (error as Error).message);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    processed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
