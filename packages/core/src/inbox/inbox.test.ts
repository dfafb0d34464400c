import type { ConversationEvent } from "@parley/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot, listBots } from "../bots/bots";
import type { ServiceContext } from "../context";
import {
  getConversation,
  resolveHandoff,
  sendMessage,
  startConversation,
} from "../conversations/conversations";
import { createFlow, publishFlow } from "../flows/flows";
import { listMembers } from "../members/members";
import { createUser } from "../tenants/tenants";
import { handoffFlow } from "../test-support/handoff-flow";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { rejection } from "../test-support/service-error";
import {
  addInboxNote,
  claimConversation,
  endFromInbox,
  getInboxState,
  listInbox,
  openConversationEvents,
  setAgentBotAccess,
  submitCsat,
  summarizeConversation,
  takeOverConversation,
  transferConversation,
} from "./index";

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
}, 60_000);
afterAll(() => harness?.cleanup());

/** A tenant with the handoff flow's bot, an owner, an editor and an agent member (no bots yet). */
async function setup(name: string) {
  const seed = await seedTenant(harness.deps, name);
  const bot = await createBot(seed.ctx, { name: "Helpdesk" });
  const flow = await createFlow(seed.ctx, { botId: bot.id, document: handoffFlow() });
  await publishFlow(seed.ctx, flow.id, {});
  const member = async (role: "editor" | "agent", label: string): Promise<ServiceContext> => {
    const user = await createUser(harness.deps, {
      email: `${label}-${Math.random().toString(36).slice(2)}@example.com`,
      name: label,
    });
    await harness.deps.db.system.membership.create({
      data: { tenantId: seed.tenant.id, userId: user.id, role },
    });
    return {
      deps: harness.deps,
      tenantId: seed.tenant.id,
      actor: { type: "user", userId: user.id, role, label },
    };
  };
  const editor = await member("editor", "Eddie");
  const agent = await member("agent", "Agnes");
  const visitor: ServiceContext = {
    deps: harness.deps,
    tenantId: seed.tenant.id,
    actor: { type: "widget", botId: bot.id, label: "widget" },
  };
  return { seed, bot, owner: seed.ctx, editor, agent, visitor };
}

/** Starts a conversation and answers the question: the handoff node hands it to the `vip` queue. */
async function handedOff(t: Awaited<ReturnType<typeof setup>>) {
  const started = await startConversation(t.visitor, t.bot.id, {});
  const turn = await sendMessage(t.visitor, started.conversationId, { text: "my router is broken" });
  expect(turn.status).toBe("handoff");
  return started.conversationId;
}

describe("the live agent inbox", () => {
  it("queues a handoff with the node's queue, priority and reason; a second claim is a clear 409", async () => {
    const t = await setup("Claims");
    const id = await handedOff(t);
    const queue = await listInbox(t.owner, { view: "waiting" });
    const item = queue.items.find((entry) => entry.conversationId === id);
    expect(item).toMatchObject({
      queue: "vip",
      priority: "high",
      reason: "Needs help: my router is broken",
      assignedUserId: null,
      botName: "Helpdesk",
    });
    expect(item?.unread).toBeGreaterThan(0);
    const claimed = await claimConversation(t.owner, id);
    expect(claimed.assignedUserId).toBe((t.owner.actor as { userId: string }).userId);
    const conflict = await rejection(claimConversation(t.editor, id));
    expect(conflict.kind).toBe("conflict");
    expect(conflict.code).toBe("already-claimed");
    expect(conflict.message).toMatch(/already claimed by Owner/);
    // Transfer to the editor, then the editor holds it and the owner is refused.
    await transferConversation(t.owner, id, { userId: (t.editor.actor as { userId: string }).userId });
    expect((await claimConversation(t.editor, id)).assignedUserId).toBe(
      (t.editor.actor as { userId: string }).userId,
    );
    expect((await rejection(claimConversation(t.owner, id))).code).toBe("already-claimed");
    // Into a queue: unassigned again.
    const queued = await transferConversation(t.editor, id, { queue: "billing" });
    expect(queued).toMatchObject({ assignedUserId: null, queue: "billing" });
  }, 60_000);

  it("keeps concurrent agent replies and a visitor message sent meanwhile, all in order", async () => {
    const t = await setup("Concurrent");
    const id = await handedOff(t);
    await Promise.all([
      sendMessage(t.owner, id, { author: "agent", text: "agent one" }),
      sendMessage(t.editor, id, {
        author: "agent",
        text: "agent two",
        replies: [{ label: "Yes", value: "yes" }],
      }),
      sendMessage(t.visitor, id, { text: "visitor while you type" }),
    ]);
    const transcript = await getConversation(t.owner, id);
    expect(transcript.entries.map((entry) => entry.seq)).toEqual(
      transcript.entries.map((_, index) => index + 1),
    );
    const texts = transcript.entries.map((entry) => JSON.stringify(entry.message));
    for (const text of ["agent one", "agent two", "visitor while you type"]) {
      expect(texts.filter((entry) => entry.includes(text))).toHaveLength(1);
    }
    // The bot stayed silent during the handoff.
    expect(transcript.entries.at(-1)?.author).not.toBe("bot");
  }, 60_000);

  it("hands back to the bot after the handoff node, or at a chosen node", async () => {
    const t = await setup("Handback");
    const plain = await handedOff(t);
    const back = await resolveHandoff(t.owner, plain, {});
    expect(back.status).toBe("waiting");
    expect(JSON.stringify(back.messages)).toContain("Back with the bot");
    expect((await getInboxState(t.owner, plain)).assignedUserId).toBeNull();

    const chosen = await handedOff(t);
    const atNode = await resolveHandoff(t.owner, chosen, { nodeId: "ask" });
    expect(atNode.status).toBe("waiting");
    expect(JSON.stringify(atNode.messages)).toContain("What do you need?");
    expect(JSON.stringify(atNode.messages)).not.toContain("Back with the bot");
    // The bot continues from there: the answer hands off again.
    expect((await sendMessage(t.visitor, chosen, { text: "again please" })).status).toBe("handoff");
    expect((await rejection(resolveHandoff(t.owner, chosen, { nodeId: "nope" }))).code).toBe(
      "node-not-found",
    );
  }, 60_000);

  it("takes over an active conversation; the bot stays silent until handed back", async () => {
    const t = await setup("Takeover");
    const started = await startConversation(t.visitor, t.bot.id, {});
    const state = await takeOverConversation(t.editor, started.conversationId, {});
    expect(state).toMatchObject({
      status: "handoff",
      assignedUserId: (t.editor.actor as { userId: string }).userId,
    });
    const silent = await sendMessage(t.visitor, started.conversationId, { text: "hello?" });
    expect(silent).toEqual({ messages: [], status: "handoff" });
    const back = await resolveHandoff(t.editor, started.conversationId, { nodeId: "ask" });
    expect(back.status).toBe("waiting");
    // Notes never reach the transcript the visitor reads; CSAT only once the conversation is over.
    await addInboxNote(t.editor, started.conversationId, { text: "VIP customer" });
    expect(JSON.stringify(await getConversation(t.visitor, started.conversationId))).not.toContain(
      "VIP customer",
    );
    expect((await rejection(submitCsat(t.visitor, started.conversationId, { score: 5 }))).code).toBe(
      "conversation-not-ended",
    );
    await takeOverConversation(t.editor, started.conversationId, {});
    await endFromInbox(t.editor, started.conversationId);
    const rated = await submitCsat(t.visitor, started.conversationId, { score: 4, comment: "quick" });
    expect(rated.csat).toMatchObject({ score: 4, comment: "quick" });
    const insight = await summarizeConversation(t.editor, started.conversationId);
    expect(insight.method).toBe("extractive");
    expect(insight.summary).toContain("hello?");
  }, 60_000);

  it("shows an agent only the bots it is given, and nothing else (role matrix)", async () => {
    const t = await setup("Agents");
    const id = await handedOff(t);
    expect((await listInbox(t.agent, {})).items).toEqual([]);
    expect((await rejection(getInboxState(t.agent, id))).code).toBe("conversation-not-found");
    expect((await rejection(getConversation(t.agent, id))).kind).toBe("not_found");
    expect((await rejection(claimConversation(t.agent, id))).code).toBe("conversation-not-found");
    expect((await rejection(sendMessage(t.agent, id, { author: "agent", text: "hi" }))).kind).toBe(
      "not_found",
    );
    // What an agent may never do.
    expect((await rejection(listBots(t.agent))).kind).toBe("forbidden");
    expect((await rejection(listMembers(t.agent))).kind).toBe("forbidden");
    expect((await rejection(createBot(t.agent, { name: "x" }))).kind).toBe("forbidden");
    expect((await rejection(startConversation(t.agent, t.bot.id, {}))).kind).toBe("forbidden");
    expect((await rejection(setAgentBotAccess(t.agent, "x", { botIds: [] }))).kind).toBe("forbidden");
    // Given the bot: the conversation appears, and can be claimed and answered.
    const agentId = (t.agent.actor as { userId: string }).userId;
    await setAgentBotAccess(t.owner, agentId, { botIds: [t.bot.id] });
    expect((await listInbox(t.agent, {})).items.map((item) => item.conversationId)).toEqual([id]);
    await claimConversation(t.agent, id);
    await sendMessage(t.agent, id, { author: "agent", text: "on it" });
    expect((await getConversation(t.agent, id)).entries.length).toBeGreaterThan(0);
    // Taken away: gone again, and its open stream closes within the check interval.
    let closed = false;
    await openConversationEvents(
      t.agent,
      id,
      { signal: new AbortController().signal, accessCheckMs: 50 },
      { send() {}, close: () => (closed = true) },
    );
    await setAgentBotAccess(t.owner, agentId, { botIds: [] });
    expect((await listInbox(t.agent, {})).items).toEqual([]);
    await expect.poll(() => closed, { timeout: 2_000 }).toBe(true);
    // Other roles are not limited per bot, and bot access is only for agents.
    expect(
      (
        await rejection(
          setAgentBotAccess(t.owner, (t.editor.actor as { userId: string }).userId, { botIds: [] }),
        )
      ).code,
    ).toBe("not-an-agent");
  }, 60_000);

  it("streams every message once, in order, and resumes after a Last-Event-ID without gaps", async () => {
    const t = await setup("Stream");
    const id = await handedOff(t);
    const seen: { event: ConversationEvent; id?: number }[] = [];
    const live = new AbortController();
    await openConversationEvents(
      t.visitor,
      id,
      { signal: live.signal },
      {
        send: (event, eventId) => seen.push({ event, ...(eventId === undefined ? {} : { id: eventId }) }),
        close() {},
      },
    );
    await addInboxNote(t.owner, id, { text: "secret note" });
    for (let index = 0; index < 5; index++)
      await sendMessage(t.owner, id, { author: "agent", text: `reply ${index}` });
    await sendMessage(t.visitor, id, { text: "thanks" });
    const messageIds = () => seen.filter((entry) => entry.event.event === "message").map((entry) => entry.id);
    await expect.poll(() => messageIds().length, { timeout: 5_000 }).toBe(6);
    const ids = messageIds() as number[];
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    // The visitor never sees notes.
    expect(JSON.stringify(seen)).not.toContain("secret note");
    live.abort();

    // Resume after the third: replays exactly the rest from the database, then live again.
    const resumed: number[] = [];
    const again = new AbortController();
    await openConversationEvents(
      t.visitor,
      id,
      { signal: again.signal, lastEventId: ids[2] as number },
      {
        send: (event, eventId) => {
          if (event.event === "message") resumed.push(eventId as number);
        },
        close() {},
      },
    );
    await sendMessage(t.owner, id, { author: "agent", text: "after resume" });
    await expect.poll(() => resumed.length, { timeout: 5_000 }).toBe(4);
    expect(resumed).toEqual([...ids.slice(3), (ids.at(-1) as number) + 1]);
    again.abort();
  }, 60_000);
});
