import { type ConversationStreamEvent, conversationEventSchema } from "@parley/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceContext } from "../context";
import { sendMessage, startConversation } from "../conversations/conversations";
import { createUser } from "../tenants/tenants";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { rejection } from "../test-support/service-error";
import {
  assignConversation,
  claimConversation,
  endFromInbox,
  takeOverConversation,
  transferConversation,
} from "./index";

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
}, 60_000);
afterAll(() => harness?.cleanup(), 60_000);

/** A tenant (owner, bot) with two editors who can work the inbox. */
async function setup(name: string) {
  const seed = await seedTenant(harness.deps, name);
  const member = async (label: string): Promise<ServiceContext & { userId: string }> => {
    const user = await createUser(harness.deps, {
      email: `${label}-${Math.random().toString(36).slice(2)}@example.com`,
      name: label,
    });
    await harness.deps.db.system.membership.create({
      data: { tenantId: seed.tenant.id, userId: user.id, role: "editor" },
    });
    return {
      deps: harness.deps,
      tenantId: seed.tenant.id,
      actor: { type: "user", userId: user.id, role: "editor", label },
      userId: user.id,
    };
  };
  return { seed, ann: await member("Ann"), bob: await member("Bob") };
}

/** The conversation's outbox rows in commit (id) order, as `topic type`, and its lifecycle events. */
async function streamOf(conversationId: string) {
  const rows = await harness.deps.db.system.outboxEvent.findMany({
    where: { key: conversationId },
    orderBy: { id: "asc" },
  });
  const lines = rows.map((row) => `${row.topic} ${(row.payload as { type: string }).type}`);
  const lifecycle = rows
    .filter((row) => row.topic === "conversation.events.v1")
    .map((row) => {
      const parsed = conversationEventSchema.safeParse(row.payload);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      expect(row.eventId).toBe((row.payload as { id: string }).id);
      return row.payload as ConversationStreamEvent;
    });
  return { lines, lifecycle };
}

describe("inbox actions on the event stream (conversation.events.v1)", () => {
  it("writes exactly one event per takeover, transfer, claim, assignment and unassignment, in order with the conversation's other events", async () => {
    const { seed, ann, bob } = await setup("Assignment events");
    const started = await startConversation(seed.ctx, seed.bot.id, { user: { id: "v1" }, channel: "web" });
    const id = started.conversationId;
    await sendMessage(seed.ctx, id, { text: "Ann", clientMessageId: "c-1" });

    await takeOverConversation(ann, id, {});
    await transferConversation(ann, id, { queue: "billing", reason: "needs billing" });
    await claimConversation(bob, id);
    // Claiming what you hold, assigning to the holder: no change, no event.
    await claimConversation(bob, id);
    await assignConversation(seed.ctx, id, { userId: bob.userId });
    await assignConversation(seed.ctx, id, { userId: null });
    await assignConversation(seed.ctx, id, { userId: ann.userId });
    await transferConversation(ann, id, { userId: bob.userId });
    // A refused claim writes nothing.
    expect((await rejection(claimConversation(ann, id))).code).toBe("already-claimed");
    await endFromInbox(bob, id);

    const { lines, lifecycle } = await streamOf(id);
    expect(lifecycle.map((event) => event.type)).toEqual([
      "conversation.started",
      "conversation.handoff",
      "conversation.transferred",
      "conversation.assigned",
      "conversation.unassigned",
      "conversation.assigned",
      "conversation.transferred",
      "conversation.ended",
    ]);
    const owner = seed.owner.id;
    expect(lifecycle.slice(1, 7).map((event) => event.data.assignment)).toEqual([
      { agentId: ann.userId, previousAgentId: null, queue: null, previousQueue: null, byUserId: ann.userId },
      {
        agentId: null,
        previousAgentId: ann.userId,
        queue: "billing",
        previousQueue: null,
        byUserId: ann.userId,
      },
      {
        agentId: bob.userId,
        previousAgentId: null,
        queue: "billing",
        previousQueue: "billing",
        byUserId: bob.userId,
      },
      {
        agentId: null,
        previousAgentId: bob.userId,
        queue: "billing",
        previousQueue: "billing",
        byUserId: owner,
      },
      {
        agentId: ann.userId,
        previousAgentId: null,
        queue: "billing",
        previousQueue: "billing",
        byUserId: owner,
      },
      {
        agentId: bob.userId,
        previousAgentId: ann.userId,
        queue: "billing",
        previousQueue: "billing",
        byUserId: ann.userId,
      },
    ]);
    for (const event of lifecycle.slice(2, 7)) {
      expect(event.data).toMatchObject({ status: "handoff", previousStatus: "handoff", channel: "web" });
      expect(event).toMatchObject({ version: 1, tenantId: seed.tenant.id, botId: seed.bot.id });
    }
    expect(lifecycle[0]?.data.assignment).toBeUndefined();
    expect(lifecycle[7]?.data.assignment).toBeUndefined();
    // In commit order with the messages (analytics aside): the takeover's notice, its handoff, the
    // assignment changes, then the close's message and the end.
    const flow = lines.filter((line) => !line.startsWith("analytics."));
    const handoff = flow.indexOf("conversation.events.v1 conversation.handoff");
    expect(flow.slice(0, handoff)).toContain("message.inbound.v1 message.inbound");
    expect(flow.slice(handoff - 1)).toEqual([
      "message.outbound.v1 message.outbound",
      "conversation.events.v1 conversation.handoff",
      "conversation.events.v1 conversation.transferred",
      "conversation.events.v1 conversation.assigned",
      "conversation.events.v1 conversation.unassigned",
      "conversation.events.v1 conversation.assigned",
      "conversation.events.v1 conversation.transferred",
      "message.outbound.v1 message.outbound",
      "conversation.events.v1 conversation.ended",
    ]);
  }, 60_000);

  it("writes no event when the action is refused or rolled back", async () => {
    const { seed, ann } = await setup("Refused assignment");
    const started = await startConversation(seed.ctx, seed.bot.id, { user: { id: "v2" }, channel: "web" });
    const id = started.conversationId;
    // Not handed off: every assignment action is refused, and nothing reaches the stream.
    expect((await rejection(claimConversation(ann, id))).code).toBe("not-in-handoff");
    expect((await rejection(assignConversation(seed.ctx, id, { userId: ann.userId }))).code).toBe(
      "not-in-handoff",
    );
    expect((await rejection(transferConversation(ann, id, { queue: "billing" }))).code).toBe(
      "not-in-handoff",
    );
    const { lifecycle } = await streamOf(id);
    expect(lifecycle.map((event) => event.type)).toEqual(["conversation.started"]);
    const audit = await harness.deps.db.system.auditLogEntry.count({
      where: { tenantId: seed.tenant.id, targetId: id },
    });
    expect(audit).toBe(0);
  }, 60_000);
});
