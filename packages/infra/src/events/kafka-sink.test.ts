import { randomUUID } from "node:crypto";
import { KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from "kafkajs";
import { describe, expect, it } from "vitest";
import { createKafkaSink, type KafkaSinkEvent } from "./kafka-sink";

/**
 * The sink's own decisions (batches in order, what goes to the dead-letter topic, what stalls the
 * stream) against a recording producer. The real broker contract is the gated suite in
 * apps/runtime/src/event-stream.test.ts (KAFKA_BROKERS).
 */
function outbound(n: number, text = "hi"): KafkaSinkEvent {
  const conversationId = "c-1";
  const id = randomUUID();
  return {
    position: n,
    id,
    topic: "message.outbound.v1",
    tenantId: "t-1",
    key: conversationId,
    payload: {
      id,
      version: 1,
      tenantId: "t-1",
      conversationId,
      botId: "b-1",
      occurredAt: new Date(0).toISOString(),
      type: "message.outbound",
      data: {
        messageId: id,
        seq: n,
        author: "bot",
        authorUserId: null,
        text,
        payload: { text },
        nodeId: null,
      },
    },
  };
}

type Batch = {
  topicMessages: {
    topic: string;
    messages: { key: string; value: string; headers: Record<string, string> }[];
  }[];
};

function recordingProducer(refuse: (batch: Batch) => Error | undefined = () => undefined) {
  const batches: Batch[] = [];
  return {
    batches,
    producer: {
      connect: async () => {},
      disconnect: async () => {},
      send: async () => [],
      sendBatch: async (batch: unknown) => {
        const error = refuse(batch as Batch);
        if (error) throw error;
        batches.push(batch as Batch);
        return [];
      },
    },
  };
}

describe("Kafka sink", () => {
  it("publishes in order, key = conversation id, JSON value, id/tenant/type/version headers", async () => {
    const { batches, producer } = recordingProducer();
    const sink = createKafkaSink({
      brokers: ["kafka:9092"],
      producer: producer as never,
      topicPrefix: "dev.",
    });
    const events = [outbound(1), outbound(2)];
    expect(await sink.publish(events)).toEqual({ deadLetters: [] });
    expect(batches).toHaveLength(1);
    const [run] = batches[0]!.topicMessages;
    expect(run?.topic).toBe("dev.message.outbound.v1");
    expect(run?.messages.map((m) => JSON.parse(m.value).data.seq)).toEqual([1, 2]);
    expect(run?.messages[0]).toMatchObject({
      key: "c-1",
      headers: {
        "event-id": events[0]!.id,
        "tenant-id": "t-1",
        "event-type": "message.outbound",
        "schema-version": "1",
      },
    });
  });

  it("dead-letters an event invalid for its topic and one the broker refuses for its size; publishes the rest", async () => {
    const tooLarge = outbound(2, "x".repeat(10));
    const { batches, producer } = recordingProducer((batch) => {
      const refused = batch.topicMessages.some((run) =>
        run.messages.some((m) => m.value.includes("xxxxxxxxxx")),
      );
      return refused
        ? new KafkaJSProtocolError({
            message: "too large",
            type: "MESSAGE_TOO_LARGE",
            code: 10,
            retriable: false,
          } as never)
        : undefined;
    });
    const sink = createKafkaSink({ brokers: ["kafka:9092"], producer: producer as never });
    const invalid = { ...outbound(3), payload: { ...outbound(3).payload, version: 2 } };
    const outcome = await sink.publish([outbound(1), tooLarge, invalid, outbound(4)]);
    expect(outcome.deadLetters.map((letter) => [letter.event.position, letter.error.split(":")[0]])).toEqual([
      [3, "invalid for message.outbound.v1"],
      [2, "MESSAGE_TOO_LARGE"],
    ]);
    const published = batches.flatMap((batch) => batch.topicMessages);
    expect(
      published
        .filter((run) => run.topic === "message.outbound.v1")
        .flatMap((run) => run.messages.map((m) => JSON.parse(m.value).data.seq)),
    ).toEqual([1, 4]);
    const dlq = published.find((run) => run.topic === "parley.dlq.v1");
    expect(dlq?.messages.map((m) => JSON.parse(m.value).data.eventId)).toEqual([invalid.id, tooLarge.id]);
    expect(JSON.parse(dlq!.messages[1]!.value).data.event).toEqual({ truncated: true });
  });

  it("throws (the relay retries the batch later) when the broker is unreachable", async () => {
    const { producer } = recordingProducer(
      () =>
        new KafkaJSNumberOfRetriesExceeded(new Error("Connection error: ECONNREFUSED"), {
          retryCount: 5,
          retryTime: 100,
        }),
    );
    const sink = createKafkaSink({ brokers: ["kafka:9092"], producer: producer as never });
    await expect(sink.publish([outbound(1)])).rejects.toThrow(/ECONNREFUSED/);
  });
});
