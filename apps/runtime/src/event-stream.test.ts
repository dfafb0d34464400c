import { randomUUID } from "node:crypto";
import { DEAD_LETTER_TOPIC, EVENT_TOPICS, eventSchemas } from "@parley/contract";
import { createKafkaSink, parseKafkaBrokers } from "@parley/infra";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, seedBot, startTestRuntime, type TestRuntime } from "./test-support/runtime-harness";

/** Asks a question, then hands off. */
const handoffFlow = {
  version: 1,
  id: "stream",
  name: "Stream",
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

/** Polls `check` until it holds (the relay works in the background); no timed assertion. */
async function until<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The value of a metric line `name{labels} value` on /metrics, or undefined. */
function metric(text: string, name: string, labels: string): number | undefined {
  const line = text.split("\n").find((entry) => entry.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.split(" ").at(-1));
}

/** A conversation through the REST API: start, one message that hands it off, an agent reply. */
async function converse(runtime: TestRuntime) {
  const { bot, key, tenant } = await seedBot(runtime.runtime, handoffFlow, { origins: ["http://shop.test"] });
  const pk = (bot as { publishableKey: string }).publishableKey;
  const started = await call(runtime.url, "POST", `/api/v1/bots/${bot.id}/conversations`, {
    key: pk,
    body: {},
  });
  const id = started.body.conversationId as string;
  await call(runtime.url, "POST", `/api/v1/conversations/${id}/messages`, {
    key: pk,
    body: { text: "help" },
  });
  await call(runtime.url, "POST", `/api/v1/conversations/${id}/messages`, {
    key,
    body: { text: "hello from an agent" },
  });
  return { id, tenantId: tenant.id };
}

describe.each(["postgres+redis", "embedded"] as const)(
  "the event stream in a running runtime on %s (no Kafka: in-process consumers)",
  (backend) => {
    let runtime: TestRuntime;
    beforeAll(async () => {
      runtime = await startTestRuntime(backend, { RUNTIME_OUTBOX_IDLE_MS: "20" });
    }, 90_000);
    afterAll(() => runtime?.cleanup(), 60_000);

    it("relays a conversation's events to the analytics consumer, exposes the lag in /metrics, prunes the outbox", async () => {
      const { id, tenantId } = await converse(runtime);
      const system = runtime.runtime.deps.db.system;
      // Written with the turns (the relay may already have consumed some).
      const transcript = await system.message.count({ where: { conversationId: id } });
      expect(transcript).toBeGreaterThanOrEqual(3);
      const text = await until(async () => {
        const scraped = await (await fetch(`${runtime.url}/metrics`)).text();
        const lag = metric(scraped, "parley_outbox_lag_events", 'group="parley.analytics-rollups"');
        const unsequenced = metric(scraped, "parley_outbox_lag_events", 'group="(unsequenced)"');
        return lag === 0 && unsequenced === 0 && scraped;
      }, "the analytics consumer to catch up");
      expect(
        metric(text, "parley_outbox_oldest_unpublished_seconds", 'group="parley.analytics-rollups"'),
      ).toBe(0);
      const offset = await system.outboxConsumerOffset.findUniqueOrThrow({
        where: { groupId: "parley.analytics-rollups" },
      });
      expect(offset.position).toBeGreaterThan(0n);
      // Consumed by every group: deleted.
      await until(async () => (await system.outboxEvent.count({ where: { tenantId } })) === 0, "pruning");
    }, 60_000);
  },
);

const brokers = parseKafkaBrokers(process.env.KAFKA_BROKERS ?? "");

/**
 * The Kafka contract suite: a real broker (set KAFKA_BROKERS=host:port). No broker can run on the CI
 * machines, so it is skipped there; anyone with a broker runs it with
 * `KAFKA_BROKERS=localhost:9092 npx vitest run src/event-stream.test.ts` in apps/runtime.
 */
describe.skipIf(brokers.length === 0)("the event stream on Kafka (KAFKA_BROKERS)", () => {
  const prefix = `parley-test-${randomUUID().slice(0, 8)}.`;
  let runtime: TestRuntime;
  const kafka = new Kafka({ clientId: "parley-test", brokers, logLevel: logLevel.NOTHING });

  beforeAll(async () => {
    const setup = createKafkaSink({ brokers, topicPrefix: prefix });
    await setup.ensureTopics({ numPartitions: 3 });
    await setup.close();
    runtime = await startTestRuntime("postgres+redis", {
      RUNTIME_OUTBOX_IDLE_MS: "20",
      KAFKA_BROKERS: brokers.join(","),
      KAFKA_TOPIC_PREFIX: prefix,
    });
  }, 120_000);
  afterAll(async () => {
    await runtime?.cleanup();
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    await admin.deleteTopics({ topics }).catch(() => {});
    await admin.disconnect();
  }, 60_000);

  /** Reads every topic from the beginning until `done` says it has what it needs. */
  async function consume(
    done: (
      received: {
        topic: string;
        key: string;
        value: Record<string, unknown>;
        headers: Record<string, string>;
      }[],
    ) => boolean,
  ) {
    const consumer = kafka.consumer({ groupId: `parley-test-${randomUUID()}` });
    const received: {
      topic: string;
      key: string;
      value: Record<string, unknown>;
      headers: Record<string, string>;
    }[] = [];
    await consumer.connect();
    await consumer.subscribe({
      topics: [...EVENT_TOPICS, DEAD_LETTER_TOPIC].map((t) => `${prefix}${t}`),
      fromBeginning: true,
    });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        received.push({
          topic: topic.slice(prefix.length),
          key: message.key?.toString() ?? "",
          value: JSON.parse(message.value?.toString() ?? "null"),
          headers: Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
          ),
        });
      },
    });
    try {
      await until(async () => done(received), "the events on Kafka", 90_000);
      return received;
    } finally {
      await consumer.disconnect();
    }
  }

  it("publishes every event of a conversation once by id, keyed by conversation, in order, valid for its topic", async () => {
    const { id, tenantId } = await converse(runtime);
    const system = runtime.runtime.deps.db.system;
    const messages = await system.message.findMany({
      where: { conversationId: id },
      orderBy: { seq: "asc" },
    });
    const received = await consume((all) => {
      const ids = new Set(
        all.filter((m) => m.key === id && m.topic.startsWith("message.")).map((m) => m.value.id),
      );
      return (
        messages.every((message) => ids.has(message.id)) &&
        all.some((m) => m.value.type === "conversation.handoff")
      );
    });
    const mine = received.filter((m) => m.key === id);
    // At least once: deduplicate by id, as every consumer does.
    const byId = new Map(mine.map((m) => [m.value.id as string, m]));
    for (const m of byId.values()) {
      const parsed = eventSchemas[m.topic as keyof typeof eventSchemas].safeParse(m.value);
      expect(parsed.success, m.topic).toBe(true);
      expect(m.headers).toMatchObject({
        "event-id": m.value.id,
        "tenant-id": tenantId,
        "schema-version": "1",
      });
    }
    const seqs = [...byId.values()]
      .filter((m) => m.topic.startsWith("message."))
      .map((m) => (m.value.data as { seq: number }).seq);
    expect(seqs).toEqual(messages.map((message) => message.seq));
    expect(await system.outboxDeadLetter.count()).toBe(0);
  }, 120_000);

  it("sends an event that is not valid for its topic to the dead-letter topic and moves on", async () => {
    const { id, tenantId } = await converse(runtime);
    const poison = randomUUID();
    await runtime.runtime.deps.db.system.$executeRawUnsafe(
      "INSERT INTO outbox (event_id, topic, tenant_id, key, payload) VALUES ($1::uuid, 'message.outbound.v1', $2, $3, $4::jsonb)",
      poison,
      tenantId,
      id,
      JSON.stringify({ id: poison, version: 2, tenantId, conversationId: id }),
    );
    const after = await converse(runtime);
    const received = await consume(
      (all) =>
        all.some(
          (m) => m.topic === DEAD_LETTER_TOPIC && (m.value.data as { eventId: string }).eventId === poison,
        ) && all.some((m) => m.key === after.id),
    );
    const letter = received.find((m) => m.topic === DEAD_LETTER_TOPIC);
    expect(letter?.value).toMatchObject({
      type: "dead-letter",
      data: { topic: "message.outbound.v1", eventId: poison },
    });
    expect(received.some((m) => m.value.id === poison && m.topic !== DEAD_LETTER_TOPIC)).toBe(false);
    expect(await runtime.runtime.deps.db.system.outboxDeadLetter.count({ where: { eventId: poison } })).toBe(
      1,
    );
  }, 120_000);
});
