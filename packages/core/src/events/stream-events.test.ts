import { eventSchemas } from "@parley/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendMessage, startConversation } from "../conversations/conversations";
import { endFromInbox, takeOverConversation } from "../inbox";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
}, 60_000);
afterAll(() => harness?.cleanup());

describe("the event stream of a conversation (transactional outbox)", () => {
  it("writes every message, lifecycle and analytics event of each step with it, valid for its topic, in order", async () => {
    const seed = await seedTenant(harness.deps, "Stream");
    const started = await startConversation(seed.ctx, seed.bot.id, { user: { id: "v1" }, channel: "web" });
    const id = started.conversationId;
    await sendMessage(seed.ctx, id, { text: "Ann", clientMessageId: "c-1" });
    await takeOverConversation(seed.ctx, id, {});
    await endFromInbox(seed.ctx, id);

    const rows = await harness.deps.db.system.outboxEvent.findMany({
      where: { key: id },
      orderBy: { id: "asc" },
    });
    for (const row of rows) {
      const schema = eventSchemas[row.topic as keyof typeof eventSchemas];
      expect(schema, row.topic).toBeDefined();
      const parsed = schema.safeParse(row.payload);
      expect(parsed.success, `${row.topic}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      expect(row.eventId).toBe((row.payload as { id: string }).id);
      expect(row.tenantId).toBe(seed.tenant.id);
    }
    const summary = rows.map((row) => {
      const payload = row.payload as { type: string; data: { author?: string; seq?: number } };
      return `${row.topic} ${payload.type}${payload.data.seq ? ` #${payload.data.seq} ${payload.data.author}` : ""}`;
    });
    // The first step: started, the bot's greeting and question, analytics (no inbound message yet).
    expect(summary[0]).toBe("conversation.events.v1 conversation.started");
    const messages = summary.filter((line) => line.startsWith("message."));
    expect(messages[0]).toMatch(/^message\.outbound\.v1 message\.outbound #1 bot$/);
    expect(
      messages.filter((line) => /^message\.inbound\.v1 message\.inbound #\d+ user$/.test(line)),
    ).toHaveLength(1);
    const lifecycle = summary.filter((line) => line.startsWith("conversation.events.v1"));
    expect(lifecycle).toEqual([
      "conversation.events.v1 conversation.started",
      "conversation.events.v1 conversation.handoff",
      "conversation.events.v1 conversation.ended",
    ]);
    // Sequence numbers of the message events follow the transcript.
    const seqs = rows
      .filter((row) => row.topic.startsWith("message."))
      .map((row) => (row.payload as { data: { seq: number } }).data.seq);
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
    const transcript = await harness.deps.db.system.message.count({ where: { conversationId: id } });
    expect(seqs).toHaveLength(transcript);
    const inbound = rows.find((row) => row.topic === "message.inbound.v1");
    expect(
      (inbound?.payload as { data?: { clientMessageId?: string } } | undefined)?.data?.clientMessageId,
    ).toBe("c-1");
    expect(summary.some((line) => line === "analytics.events.v1 turn")).toBe(true);
    const analytics = rows.filter((row) => row.topic === "analytics.events.v1");
    const stored = await harness.deps.db.system.analyticsEvent.findMany({ where: { conversationId: id } });
    expect(analytics.map((row) => row.eventId).sort()).toEqual(
      stored
        .filter((event) => event.type !== "integration.call")
        .map((event) => event.id)
        .sort(),
    );
  }, 60_000);
});
