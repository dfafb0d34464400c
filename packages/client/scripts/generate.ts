/**
 * Regenerates `src/schema.d.ts` from `openapi.json`. Run through `npm run generate -w @parley/client`,
 * which first rewrites `openapi.json` from the runtime's route table.
 */
import { writeFileSync } from "node:fs";
import { committedDocument, renderSchema, schemaUrl } from "./render-schema";

writeFileSync(schemaUrl, await renderSchema(committedDocument()));
process.stdout.write(`wrote ${schemaUrl.pathname}\n`);
