/** Writes the committed JSON Schemas of the event stream: schemas/events/<topic>.json (see src/events.ts). */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { eventJsonSchemaText, eventSchemas } from "../src/events";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "schemas", "events");
mkdirSync(dir, { recursive: true });
for (const topic of Object.keys(eventSchemas) as (keyof typeof eventSchemas)[]) {
  writeFileSync(join(dir, `${topic}.json`), eventJsonSchemaText(topic));
  console.log(`wrote schemas/events/${topic}.json`);
}
