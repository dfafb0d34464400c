import { z } from "zod";
import { flowDocumentSchema } from "./document";

/** Where the committed JSON Schema is published (its `$id`). */
export const FLOW_JSON_SCHEMA_ID = "https://parley.dev/schemas/flow.schema.json";

/**
 * The JSON Schema (draft 2020-12) of the flow document as people write it (fields with defaults
 * are optional), generated from the zod schemas. The committed `flow.schema.json` is this value;
 * `npm run generate -w @parley/flow-schema` rewrites it.
 */
export function flowDocumentJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(flowDocumentSchema, { io: "input", target: "draft-2020-12" }) as Record<
    string,
    unknown
  >;
  const { $schema, ...rest } = schema;
  return { $schema, $id: FLOW_JSON_SCHEMA_ID, ...rest };
}

/** `flowDocumentJsonSchema()` as the exact text of the committed file (2-space JSON, final newline). */
export function flowDocumentJsonSchemaText(): string {
  return `${JSON.stringify(flowDocumentJsonSchema(), null, 2)}\n`;
}
