import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConversationEvent } from "@parley/contract";
import { createInfrastructure } from "@parley/infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEntries } from "../audit/audit-log";
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
  reportTyping,
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
afterAll(() => harness?.cleanup(), 60_000);

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

  it("audits every inbox action once, with ids and settings but no text about the visitor", async () => {
    const t = await setup("Audited");
    const id = await handedOff(t);
    const editorId = (t.editor.actor as { userId: string }).userId;
    await claimConversation(t.owner, id);
    await claimConversation(t.owner, id); // already mine: no second row
    await transferConversation(t.owner, id, { userId: editorId, reason: "Ann Smith wants a refund" });
    await transferConversation(t.editor, id, { queue: "billing" });
    await addInboxNote(t.owner, id, { text: "Ann Smith, card ending 4242" });
    await resolveHandoff(t.owner, id, {});
    await takeOverConversation(t.editor, id, {});
    await endFromInbox(t.editor, id);
    await endFromInbox(t.editor, id); // already ended: no second row
    const { entries } = await listAuditEntries(t.owner, { targetId: id, limit: 50 });
    expect(entries.map((entry) => entry.action).reverse()).toEqual([
      "conversation.claim",
      "conversation.transfer",
      "conversation.transfer",
      "conversation.note",
      "conversation.handback",
      "conversation.takeover",
      "conversation.close",
    ]);
    expect(entries.every((entry) => entry.targetType === "conversation")).toBe(true);
    // Labelled by bot and channel, never by the visitor.
    expect(entries[0]?.targetLabel).toMatch(/^Helpdesk · /);
    expect(entries.find((entry) => entry.action === "conversation.transfer")?.after).toMatchObject({
      queue: "billing",
    });
    const stored = JSON.stringify(
      await harness.deps.db.system.auditLogEntry.findMany({ where: { targetId: id } }),
    );
    for (const personal of ["Ann Smith", "4242", "my router is broken"])
      expect(stored).not.toContain(personal);
  }, 60_000);

  it("carries typing and notes to the event stream of another process on the same database", async () => {
    const t = await setup("TwoProcesses");
    const id = await handedOff(t);
    // A second process: the same database, its own (in-process) pub/sub, as the studio beside the runtime.
    const dataDir = mkdtempSync(join(tmpdir(), "parley-other-process-"));
    const otherInfra = await createInfrastructure({
      dataDir,
      withQueue: false,
      logger: { info() {}, warn() {}, error() {} } as never,
    });
    try {
      const elsewhere = (ctx: typeof t.owner) => ({ ...ctx, deps: { ...ctx.deps, infra: otherInfra } });
      const seen: ConversationEvent[] = [];
      const agentStream = new AbortController();
      await openConversationEvents(
        elsewhere(t.owner),
        id,
        { signal: agentStream.signal, embeddedPollMs: 20 },
        { send: (event) => seen.push(event), close() {} },
      );
      const widgetSeen: ConversationEvent[] = [];
      const widgetStream = new AbortController();
      await openConversationEvents(
        elsewhere(t.visitor),
        id,
        { signal: widgetStream.signal, embeddedPollMs: 20 },
        { send: (event) => widgetSeen.push(event), close() {} },
      );
      const of = (events: ConversationEvent[], name: ConversationEvent["event"]) =>
        events.filter((event) => event.event === name).map((event) => event.data);
      const typingOf = (events: ConversationEvent[]) =>
        events.flatMap((event) => (event.event === "typing" ? [event.data] : []));
      // Written in this process, seen in the other one.
      await reportTyping(t.visitor, id, { typing: true });
      await expect
        .poll(() => of(seen, "typing"), { timeout: 5_000 })
        .toEqual([{ who: "visitor", typing: true }]);
      await reportTyping(t.owner, id, { typing: true });
      await expect
        .poll(() => of(widgetSeen, "typing"), { timeout: 5_000 })
        .toEqual([{ who: "agent", typing: true, label: t.owner.actor.label }]);
      await reportTyping(t.visitor, id, { typing: false });
      await expect
        .poll(() => of(seen, "typing").at(-1), { timeout: 5_000 })
        .toEqual({ who: "visitor", typing: false });
      await addInboxNote(t.owner, id, { text: "first note" });
      await addInboxNote(t.editor, id, { text: "second note" });
      await expect
        .poll(() => of(seen, "note").map((note) => (note as { text: string }).text), { timeout: 5_000 })
        .toEqual(["first note", "second note"]);
      // A visitor message sent while the agent types is not lost, on either side.
      await Promise.all([
        reportTyping(t.owner, id, { typing: true }),
        sendMessage(t.visitor, id, { text: "still there?" }),
      ]);
      await expect
        .poll(() => JSON.stringify(of(seen, "message")), { timeout: 5_000 })
        .toContain("still there?");
      // The visitor never gets notes; each note and typing change arrived once.
      expect(JSON.stringify(widgetSeen)).not.toContain("first note");
      expect(of(seen, "note")).toHaveLength(2);
      agentStream.abort();
      widgetStream.abort();

      // In the writing process itself: sent once (pub/sub), not again from the row.
      const local: ConversationEvent[] = [];
      const localStream = new AbortController();
      await openConversationEvents(
        t.owner,
        id,
        { signal: localStream.signal, embeddedPollMs: 20 },
        { send: (event) => local.push(event), close() {} },
      );
      await addInboxNote(t.editor, id, { text: "third note" });
      await reportTyping(t.visitor, id, { typing: true });
      // Typing from the other process reaches this stream only through a look at the row, which
      // then also saw the note and the visitor's typing: still one of each.
      await reportTyping(elsewhere(t.editor), id, { typing: true });
      await expect
        .poll(() => typingOf(local).filter((typing) => typing.who === "agent"), { timeout: 5_000 })
        .toHaveLength(1);
      expect(of(local, "note")).toHaveLength(1);
      expect(typingOf(local).filter((typing) => typing.who === "visitor")).toEqual([
        { who: "visitor", typing: true },
      ]);
      localStream.abort();
    } finally {
      await otherInfra.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
