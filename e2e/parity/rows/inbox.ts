import { createBot, createFlow, publishFlow, sendMessage, startConversation } from "@parley/core";
import type { ParityFixture } from "../row";
import { type AnyParityRow, parityRow } from "../row";

/** Asks one question, then hands off to the `parity` queue. */
const handoffFlow = {
  version: 1,
  id: "parity-inbox",
  name: "Parity inbox",
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
    { id: "human", kind: "handoff", position: { x: 0, y: 200 }, data: { queue: "parity" } },
    { id: "done", kind: "end", position: { x: 0, y: 300 }, data: {} },
  ],
  edges: [
    { id: "e1", source: "start", sourceHandle: "next", target: "ask" },
    { id: "e2", source: "ask", sourceHandle: "next", target: "human" },
    { id: "e3", source: "ask", sourceHandle: "error", target: "done" },
    { id: "e4", source: "human", sourceHandle: "next", target: "done" },
  ],
};

/** A bot running the flow and one of its conversations (handed off when `handedOff`). */
async function conversation(fx: ParityFixture, handedOff: boolean) {
  const bot = await createBot(fx.owner, { name: fx.unique("inbox bot") });
  const flow = await createFlow(fx.owner, { botId: bot.id, document: handoffFlow });
  await publishFlow(fx.owner, flow.id, {});
  const started = await startConversation(fx.owner, bot.id, {});
  if (handedOff) await sendMessage(fx.owner, started.conversationId, { text: "a person please" });
  return { botId: bot.id, conversationId: started.conversationId };
}

// Agents see only the bots they are given: the rows act as an editor (or a key with the scope).
const editorAgent = { role: "editor", scopes: ["conversations:agent"] } as const;

/** The live agent inbox: the studio's /inbox and /api/v1/inbox, /api/v1/conversations/{id}/... */
export const inboxRows: readonly AnyParityRow[] = [
  parityRow({
    name: "list the inbox",
    permission: "conversations:agent",
    audit: null,
    studio: { procedure: "inbox.list", input: () => ({ view: "all" }) },
    rest: { method: "GET", path: () => "/api/v1/inbox?view=all" },
  }),
  parityRow({
    name: "list the inbox's agents",
    permission: "conversations:agent",
    audit: null,
    studio: { procedure: "inbox.agents", input: () => undefined },
    rest: { method: "GET", path: () => "/api/v1/inbox/agents" },
  }),
  parityRow({
    name: "take over a conversation",
    permission: "conversations:agent",
    audit: { action: "conversation.takeover", targetType: "conversation" },
    allowed: editorAgent,
    setup: (fx) => conversation(fx, false),
    studio: {
      procedure: "inbox.takeover",
      input: (c) => ({ conversationId: c.conversationId, queue: "parity" }),
    },
    rest: {
      method: "POST",
      path: (c) => `/api/v1/conversations/${c.conversationId}/takeover`,
      body: () => ({ queue: "parity" }),
    },
  }),
  parityRow({
    name: "write an internal note",
    permission: "conversations:agent",
    audit: { action: "conversation.note", targetType: "conversation" },
    allowed: editorAgent,
    setup: (fx) => conversation(fx, true),
    studio: {
      procedure: "inbox.addNote",
      input: (c) => ({ conversationId: c.conversationId, text: "note" }),
    },
    rest: {
      method: "POST",
      path: (c) => `/api/v1/conversations/${c.conversationId}/notes`,
      body: () => ({ text: "note" }),
    },
  }),
  parityRow({
    name: "read a conversation's notes",
    permission: "conversations:agent",
    audit: null,
    allowed: editorAgent,
    setup: (fx) => conversation(fx, true),
    studio: { procedure: "inbox.notes", input: (c) => ({ conversationId: c.conversationId }) },
    rest: { method: "GET", path: (c) => `/api/v1/conversations/${c.conversationId}/notes` },
  }),
  parityRow({
    name: "end a conversation from the inbox",
    permission: "conversations:agent",
    audit: { action: "conversation.close", targetType: "conversation" },
    allowed: editorAgent,
    setup: (fx) => conversation(fx, true),
    studio: { procedure: "inbox.close", input: (c) => ({ conversationId: c.conversationId }) },
    rest: { method: "POST", path: (c) => `/api/v1/conversations/${c.conversationId}/close` },
  }),
  parityRow({
    name: "set an agent's bots",
    permission: "members:manage",
    audit: { action: "member.bots_changed", targetType: "member" },
    setup: async (fx) => {
      const agent = await fx.member("agent");
      const bot = await createBot(fx.owner, { name: fx.unique("agent bot") });
      return { userId: agent.userId, botId: bot.id };
    },
    studio: { procedure: "members.setAgentBots", input: (s) => ({ userId: s.userId, botIds: [s.botId] }) },
    rest: {
      method: "PUT",
      path: (s) => `/api/v1/members/${s.userId}/bots`,
      body: (s) => ({ botIds: [s.botId] }),
    },
  }),
];
