/**
 * Writes the REST API's OpenAPI document (built from the route table, no server started) to the
 * file given as the first argument, or to stdout. `npm run generate -w @parley/client` runs it.
 */
import { writeFileSync } from "node:fs";
import { apiDocument } from "../src/http/api-document";

const target = process.argv[2];
const text = `${JSON.stringify(apiDocument(), null, 2)}\n`;
if (target) writeFileSync(target, text);
else process.stdout.write(text);
