/** Writes packages/engine/machine.schema.json from the zod schema (run: npm run generate -w @parley/engine). */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { machineJsonSchemaText } from "../src/compile/json-schema";

const target = fileURLToPath(new URL("../machine.schema.json", import.meta.url));
writeFileSync(target, machineJsonSchemaText());
console.log(`wrote ${target}`);
