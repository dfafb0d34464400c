import { describe, expect, it } from "vitest";
import analytics from "../schemas/events/analytics.events.v1.json";
import conversation from "../schemas/events/conversation.events.v1.json";
import integration from "../schemas/events/integration.events.v1.json";
import inbound from "../schemas/events/message.inbound.v1.json";
import outbound from "../schemas/events/message.outbound.v1.json";
import deadLetter from "../schemas/events/parley.dlq.v1.json";
import { DEAD_LETTER_TOPIC, EVENT_TOPICS, eventJsonSchemaText, eventSchemas } from "./events";

/** The committed JSON Schemas (imported as data: the contract package reads no files). */
const committed: Record<string, unknown> = {
  "message.inbound.v1": inbound,
  "message.outbound.v1": outbound,
  "conversation.events.v1": conversation,
  "analytics.events.v1": analytics,
  "integration.events.v1": integration,
  [DEAD_LETTER_TOPIC]: deadLetter,
};

describe("event stream JSON Schemas", () => {
  it("are committed for every topic and up to date with the zod schemas (npm run generate -w @parley/contract)", () => {
    const topics = Object.keys(eventSchemas) as (keyof typeof eventSchemas)[];
    expect(topics).toEqual([...EVENT_TOPICS, DEAD_LETTER_TOPIC]);
    expect(Object.keys(committed).sort()).toEqual([...topics].sort());
    for (const topic of topics) {
      expect(committed[topic], topic).toEqual(JSON.parse(eventJsonSchemaText(topic)));
    }
  });

  it("carry a version and the envelope every consumer relies on", () => {
    for (const topic of Object.keys(eventSchemas)) {
      const schema = committed[topic] as { required: string[]; properties: { version: { const: number } } };
      expect(schema.required).toEqual(
        expect.arrayContaining(["id", "version", "tenantId", "conversationId", "occurredAt", "type", "data"]),
      );
      expect(schema.properties.version.const).toBe(1);
    }
  });
});
