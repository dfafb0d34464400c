import type { OutboxEvent, OutboxRelay } from "@parley/db";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createBot } from "../bots/bots";
import { sendMessage, startConversation } from "../conversations/conversations";
import { createFlow, publishFlow } from "../flows/flows";
import { endFromInbox } from "../inbox";
import { handoffFlow } from "../test-support/handoff-flow";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { WEBHOOK_GROUP, WEBHOOK_TOPICS, webhookDeliveryHandler, webhookEventOf } from "./webhook-consumer";
import { createWebhookEndpoint, WEBHOOK_QUEUE } from "./webhooks";

let harness: Harness;
const relays: OutboxRelay[] = [];
beforeAll(async () => {
  harness = await createHarness();
}, 60_000);
afterEach(async () => {
  for (const relay of relays.splice(0)) await relay.stop();
});
afterAll(() => harness?.cleanup(), 60_000);

/** A tenant whose bot hands off, with endpoints: all types, `message` only, and a disabled one. */
async function setup(name: string) {
  const seed = await seedTenant(harness.deps, name);
  const bot = await createBot(seed.ctx, { name: "Helpdesk" });
  const flow = await createFlow(seed.ctx, { botId: bot.id, document: handoffFlow() });
  await publishFlow(seed.ctx, flow.id, {});
  const all = await createWebhookEndpoint(seed.ctx, {
    url: "https://hooks.example/all",
    events: ["conversation.started", "message", "handoff.requested", "conversation.ended"],
  });
  const messages = await createWebhookEndpoint(seed.ctx, {
    url: "https://hooks.example/messages",
    events: ["message"],
  });
  const off = await createWebhookEndpoint(seed.ctx, {
    url: "https://hooks.example/off",
    events: ["message"],
  });
  await harness.deps.db.system.webhookEndpoint.update({
    where: { id: off.webhook.id },
    data: { enabled: false },
  });
  const ctx = { ...seed.ctx };
  /** A conversation that starts, hands off (handoff node) and is closed by an agent. */
  const converse = async () => {
    const started = await startConversation(ctx, bot.id, { user: { id: "visitor" }, channel: "web" });
    await sendMessage(ctx, started.conversationId, { text: "my router is broken" });
    await endFromInbox(ctx, started.conversationId);
    return started.conversationId;
  };
  return { seed, bot, endpoints: { all: all.webhook.id, messages: messages.webhook.id }, converse };
}

/** The tenant's deliveries as `endpoint event-id type`, sorted. */
async function deliveriesOf(tenantId: string) {
  const rows = await harness.deps.db.system.webhookDelivery.findMany({ where: { tenantId } });
  return rows.map((row) => `${row.endpointId} ${row.eventId} ${row.eventType}`).sort();
}

/** The deliveries the tenant's outbox events should make: one per event and subscribed endpoint. */
async function expectedDeliveries(tenantId: string, endpoints: { all: string; messages: string }) {
  const rows = await harness.deps.db.system.outboxEvent.findMany({ where: { tenantId } });
  const expected: string[] = [];
  for (const row of rows) {
    const hook = webhookEventOf({ topic: row.topic, payload: row.payload as OutboxEvent["payload"] });
    if (!hook) continue;
    expected.push(`${endpoints.all} ${hook.payload.id} ${hook.type}`);
    if (hook.type === "message") expected.push(`${endpoints.messages} ${hook.payload.id} message`);
  }
  return expected.sort();
}

describe("tenant webhooks from the outbox relay (parley.webhooks)", () => {
  it("makes one delivery per relayed event and subscribed endpoint, in the webhook API's shape, and none at commit", async () => {
    const { seed, bot, endpoints, converse } = await setup("Webhook consumer");
    const id = await converse();
    // The turns committed, nothing is delivered yet: only the relay makes deliveries.
    expect(await deliveriesOf(seed.tenant.id)).toEqual([]);
    // (Read before the relay runs: it prunes what every group consumed.)
    const expected = await expectedDeliveries(seed.tenant.id, endpoints);

    const relay = harness.deps.db.createOutboxRelay({ idleMs: 10 });
    relays.push(relay);
    relay.subscribe(WEBHOOK_TOPICS, WEBHOOK_GROUP, webhookDeliveryHandler(harness.deps));
    await relay.drain();

    const made = await deliveriesOf(seed.tenant.id);
    expect(made).toEqual(expected);
    const rows = await harness.deps.db.system.webhookDelivery.findMany({
      where: { tenantId: seed.tenant.id, endpointId: endpoints.all },
      orderBy: { createdAt: "asc" },
    });
    const types = rows.map((row) => row.eventType);
    expect(types.filter((type) => type !== "message").sort()).toEqual([
      "conversation.ended",
      "conversation.started",
      "handoff.requested",
    ]);
    expect(types.filter((type) => type === "message").length).toBeGreaterThanOrEqual(3);
    const bodies = Object.fromEntries(rows.map((row) => [row.eventType, row.payload])) as Record<
      string,
      { id: string; type: string; occurredAt: string; data: Record<string, unknown> }
    >;
    expect(bodies["conversation.started"]).toMatchObject({
      type: "conversation.started",
      data: { conversationId: id, botId: bot.id, channel: "web" },
    });
    expect(bodies["handoff.requested"]?.data).toMatchObject({
      conversationId: id,
      handoff: { type: "handoff", queue: "vip" },
    });
    expect(bodies["conversation.ended"]?.data).toEqual({ conversationId: id, botId: bot.id });
    const messages = rows
      .filter((row) => row.eventType === "message")
      .map((row) => row.payload as { data: { seq: number; author: string; message: { type: string } } })
      .sort((a, b) => a.data.seq - b.data.seq);
    expect(messages[0]?.data).toMatchObject({
      conversationId: id,
      botId: bot.id,
      seq: 1,
      author: "bot",
      message: { type: "text", text: "Hello!" },
    });
    expect(messages.map((entry) => entry.data.seq)).toEqual(messages.map((_, index) => index + 1));
    for (const row of rows) {
      expect(row.status).toBe("pending");
      expect(row.eventId).toBe((row.payload as { id: string }).id);
    }
    // Queued once committed (job id = delivery id).
    const counts = await harness.infra.queue.counts(WEBHOOK_QUEUE);
    expect(counts.waiting + counts.delayed + counts.active).toBeGreaterThanOrEqual(made.length);
  }, 60_000);

  it("a consumer killed mid-batch creates nothing; the restarted one creates every delivery exactly once", async (context) => {
    // Killing the relay's backend needs real Postgres (embedded: one shared session).
    if (harness.testDb.kind === "embedded") context.skip();
    const { seed, endpoints, converse } = await setup("Webhook crash");
    await converse();
    await converse();
    const expected = await expectedDeliveries(seed.tenant.id, endpoints);
    const before = await harness.infra.queue.counts(WEBHOOK_QUEUE);
    const handler = webhookDeliveryHandler(harness.deps);

    let reached!: () => void;
    const atFifth = new Promise<void>((resolve) => {
      reached = resolve;
    });
    let release!: () => void;
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    let handled = 0;
    const first = harness.deps.db.createOutboxRelay({ idleMs: 10, batchSize: 500 });
    relays.push(first);
    first.subscribe(WEBHOOK_TOPICS, WEBHOOK_GROUP, async (event, tx) => {
      await handler(event, tx);
      handled += 1;
      if (handled === 5) {
        reached();
        await hold;
      }
    });
    const running = first.runOnce().catch((error: unknown) => error);
    await atFifth;
    // The process dies mid-batch: its connection goes, and the batch's deliveries and offset with it.
    await harness.deps.db.system.$queryRawUnsafe(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'parley-outbox-relay' AND datname = current_database()",
    );
    release();
    await running;
    expect(await deliveriesOf(seed.tenant.id)).toEqual([]);
    const queued = await harness.infra.queue.counts(WEBHOOK_QUEUE);
    expect(queued.waiting).toBe(before.waiting);

    // A new process takes over from the group's committed offset (the beginning): each event is
    // handled once more, and each delivery exists exactly once.
    const seen = new Map<string, number>();
    const second = harness.deps.db.createOutboxRelay({ idleMs: 10, batchSize: 4 });
    relays.push(second);
    second.subscribe(WEBHOOK_TOPICS, WEBHOOK_GROUP, async (event, tx) => {
      seen.set(event.id, (seen.get(event.id) ?? 0) + 1);
      await handler(event, tx);
    });
    await second.drain();
    const made = await deliveriesOf(seed.tenant.id);
    expect(expected.length).toBeGreaterThan(5);
    expect(made).toEqual(expected);
    expect(new Set(made).size).toBe(made.length);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    const after = await harness.infra.queue.counts(WEBHOOK_QUEUE);
    expect(after.waiting - before.waiting).toBe(made.length);
    expect(await harness.deps.db.system.outboxDeadLetter.count({ where: { groupId: WEBHOOK_GROUP } })).toBe(
      0,
    );
  }, 60_000);
});
