import { DEAD_LETTER_TOPIC, type DeadLetterEvent, EVENT_TOPICS, eventSchemas } from "@parley/contract";
import { Kafka, type KafkaConfig, logLevel, type Message, type Producer } from "kafkajs";

/**
 * The event stream's Kafka sink (kafkajs): a consumer group of the outbox relay that publishes each event
 * to its topic, key = conversation id, value = the event's JSON, headers `event-id`, `tenant-id`,
 * `event-type`, `schema-version`. The producer is idempotent with one request in flight, so a batch lands
 * in order per partition and a retried request is not written twice by the broker; a batch that fails
 * anyway is retried by the relay from the same offset (at least once: consumers deduplicate by
 * `event-id`). Events that can never be published (invalid for their topic's schema, larger than the
 * broker accepts) go to the dead-letter topic `parley.dlq.v1` with the reason, and the stream moves on.
 * Structurally an `OutboxSink` of `@parley/db` (infra does not import the data layer).
 */

/** One event as the relay hands it to a sink (`OutboxEvent` of @parley/db). */
export interface KafkaSinkEvent {
  position: number;
  id: string;
  topic: string;
  tenantId: string;
  key: string;
  payload: Record<string, unknown>;
}

/** Options of {@link createKafkaSink}. */
export interface KafkaSinkOptions {
  /** `KAFKA_BROKERS`, parsed: host:port entries. */
  brokers: readonly string[];
  clientId?: string;
  /** The relay's consumer group this sink is (default `parley.kafka`). */
  groupId?: string;
  /** Prepended to every topic name (e.g. `staging.`), default none. */
  topicPrefix?: string;
  /** TLS and SASL as kafkajs takes them. */
  ssl?: KafkaConfig["ssl"];
  sasl?: KafkaConfig["sasl"];
  /** A producer to use instead of one made from the options (tests). */
  producer?: Pick<Producer, "connect" | "disconnect" | "send" | "sendBatch">;
}

/** The sink; see the module comment. */
export interface KafkaSink {
  readonly groupId: string;
  readonly topics: readonly string[];
  publish<E extends KafkaSinkEvent>(
    events: readonly E[],
  ): Promise<{ deadLetters: { event: E; error: string }[] }>;
  /** Creates the topics (and the dead-letter topic) when missing; for development and tests. */
  ensureTopics(options?: { numPartitions?: number }): Promise<void>;
  close(): Promise<void>;
}

/** Kafka errors that concern the message itself: retrying cannot help, the message goes to the DLQ. */
const POISON = new Set(["MESSAGE_TOO_LARGE", "RECORD_LIST_TOO_LARGE", "INVALID_RECORD", "CORRUPT_MESSAGE"]);

/** The Kafka protocol error type somewhere in an error's cause chain (kafkajs wraps them). */
export function kafkaErrorType(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const type = (current as { type?: unknown }).type;
    if (typeof type === "string") return type;
    current =
      (current as { cause?: unknown; originalError?: unknown }).cause ??
      (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

/** Parses `KAFKA_BROKERS` (comma- or space-separated host:port). */
export function parseKafkaBrokers(value: string): string[] {
  return value.split(/[\s,]+/).filter((entry) => entry !== "");
}

/** The Kafka sink of the outbox relay; see the module comment. */
export function createKafkaSink(options: KafkaSinkOptions): KafkaSink {
  const prefix = options.topicPrefix ?? "";
  const kafka = options.producer
    ? undefined
    : new Kafka({
        clientId: options.clientId ?? "parley",
        brokers: [...options.brokers],
        ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
        ...(options.sasl === undefined ? {} : { sasl: options.sasl }),
        logLevel: logLevel.NOTHING,
      });
  const producer =
    options.producer ??
    (kafka as Kafka).producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  let connected: Promise<void> | undefined;
  const connect = () => {
    connected ??= producer.connect().catch((error: unknown) => {
      connected = undefined;
      throw error;
    });
    return connected;
  };
  const groupId = options.groupId ?? "parley.kafka";

  const messageOf = (event: KafkaSinkEvent): Message => ({
    key: event.key,
    value: JSON.stringify(event.payload),
    headers: {
      "event-id": event.id,
      "tenant-id": event.tenantId,
      "event-type": String(event.payload.type ?? ""),
      "schema-version": String(event.payload.version ?? ""),
    },
  });

  /** Sends events in order, one batch per run of consecutive events (topics interleave). */
  const send = async (events: readonly KafkaSinkEvent[]) => {
    if (events.length === 0) return;
    const topicMessages: { topic: string; messages: Message[] }[] = [];
    for (const event of events) {
      const topic = `${prefix}${event.topic}`;
      const last = topicMessages.at(-1);
      if (last && last.topic === topic) last.messages.push(messageOf(event));
      else topicMessages.push({ topic, messages: [messageOf(event)] });
    }
    await producer.sendBatch({ topicMessages, acks: -1 });
  };

  const deadLetterOf = (event: KafkaSinkEvent, error: string): KafkaSinkEvent => {
    const payload: DeadLetterEvent = {
      id: crypto.randomUUID(),
      version: 1,
      tenantId: event.tenantId,
      conversationId: typeof event.payload.conversationId === "string" ? event.payload.conversationId : null,
      botId: typeof event.payload.botId === "string" ? event.payload.botId : null,
      occurredAt: new Date().toISOString(),
      type: "dead-letter",
      data: {
        group: groupId,
        topic: event.topic,
        eventId: event.id,
        error,
        attempts: 1,
        // A message the broker refused for its size is not repeated in full.
        event: error.startsWith("MESSAGE_TOO_LARGE") ? { truncated: true } : event.payload,
      },
    };
    return { ...event, id: payload.id, topic: DEAD_LETTER_TOPIC, payload };
  };

  return {
    groupId,
    topics: [...EVENT_TOPICS],
    async publish<E extends KafkaSinkEvent>(events: readonly E[]) {
      await connect();
      const deadLetters: { event: E; error: string }[] = [];
      const valid: E[] = [];
      for (const event of events) {
        const schema = eventSchemas[event.topic as keyof typeof eventSchemas];
        const parsed = schema?.safeParse(event.payload);
        if (!schema) deadLetters.push({ event, error: `unknown topic ${event.topic}` });
        else if (!parsed?.success) {
          const issue = parsed?.error.issues[0];
          deadLetters.push({
            event,
            error: `invalid for ${event.topic}: ${issue ? `${issue.path.join(".")} ${issue.message}` : "schema"}`,
          });
        } else valid.push(event);
      }
      try {
        await send(valid);
      } catch (error) {
        if (!POISON.has(kafkaErrorType(error) ?? "")) throw error;
        // Some message of the batch is refused for what it is: find it by sending one at a time, in order
        // (the messages before it are then published; a retry of this batch resends them: at least once).
        for (const event of valid) {
          try {
            await send([event]);
          } catch (single) {
            const type = kafkaErrorType(single);
            if (!POISON.has(type ?? "")) throw single;
            deadLetters.push({
              event,
              error: `${type}: ${single instanceof Error ? single.message : String(single)}`,
            });
          }
        }
      }
      if (deadLetters.length > 0) {
        await send(deadLetters.map((letter) => deadLetterOf(letter.event, letter.error)));
      }
      return { deadLetters };
    },
    async ensureTopics({ numPartitions = 3 } = {}) {
      if (!kafka) return;
      const admin = kafka.admin();
      await admin.connect();
      try {
        const existing = new Set(await admin.listTopics());
        const wanted = [...EVENT_TOPICS, DEAD_LETTER_TOPIC]
          .map((topic) => `${prefix}${topic}`)
          .filter((topic) => !existing.has(topic));
        if (wanted.length > 0) {
          await admin.createTopics({
            waitForLeaders: true,
            topics: wanted.map((topic) => ({ topic, numPartitions })),
          });
        }
      } finally {
        await admin.disconnect();
      }
    },
    async close() {
      if (connected) await producer.disconnect().catch(() => {});
      connected = undefined;
    },
  };
}
