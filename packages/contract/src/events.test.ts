import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DEAD_LETTER_TOPIC, EVENT_TOPICS, eventJsonSchemaText, eventSchemas } from "./events";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "schemas", "events");

describe("event stream JSON Schemas", () => {
  it("are committed for every topic and up to date with the zod schemas (npm run generate -w @parley/contract)", () => {
    const topics = Object.keys(eventSchemas) as (keyof typeof eventSchemas)[];
    expect(topics).toEqual([...EVENT_TOPICS, DEAD_LETTER_TOPIC]);
    expect(readdirSync(dir).sort()).toEqual(topics.map((topic) => `${topic}.json`).sort());
    for (const topic of topics) {
      expect(readFileSync(join(dir, `${topic}.json`), "utf8"), topic).toBe(eventJsonSchemaText(topic));
    }
  });

  it("carry a version and the envelope every consumer relies on", () => {
    for (const topic of Object.keys(eventSchemas) as (keyof typeof eventSchemas)[]) {
      const schema = JSON.parse(readFileSync(join(dir, `${topic}.json`), "utf8")) as {
        required: string[];
        properties: { version: { const: number } };
      };
      expect(schema.required).toEqual(
        expect.arrayContaining(["id", "version", "tenantId", "conversationId", "occurredAt", "type", "data"]),
      );
      expect(schema.properties.version.const).toBe(1);
    }
  });
});
