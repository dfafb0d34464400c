/**
 * Writes flow.schema.json (the JSON Schema of the flow document) from the zod schemas.
 * Run: npm run generate -w @parley/flow-schema
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { flowDocumentJsonSchemaText } from "../src/json-schema";

const target = fileURLToPath(new URL("../flow.schema.json", import.meta.url));
writeFileSync(target, flowDocumentJsonSchemaText());
console.log(`wrote ${target}`);
