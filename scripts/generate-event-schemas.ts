/**
 * Writes the committed JSON Schemas of the event stream: packages/contract/schemas/events/<topic>.json
 * (see packages/contract/src/events.ts). Here, not in the contract package, which imports nothing but zod.
 * Run: npm run generate -w @parley/contract
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { eventJsonSchemaText, eventSchemas } from "@parley/contract";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "packages", "contract", "schemas", "events");
mkdirSync(dir, { recursive: true });
for (const topic of Object.keys(eventSchemas) as (keyof typeof eventSchemas)[]) {
  writeFileSync(join(dir, `${topic}.json`), eventJsonSchemaText(topic));
  console.log(`wrote packages/contract/schemas/events/${topic}.json`);
}
