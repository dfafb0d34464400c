import { z } from "zod";
import { machineSchema } from "./machine-schema";

/** Where the committed machine JSON Schema is published (its `$id`). */
export const MACHINE_JSON_SCHEMA_ID = "https://parley.dev/schemas/machine.schema.json";

/**
 * The JSON Schema (draft 2020-12) of compiled machine JSON, generated from `machineSchema`.
 * The committed `machine.schema.json` is this value; `npm run generate -w @parley/engine`
 * rewrites it.
 */
export function machineJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(machineSchema, { target: "draft-2020-12" }) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  return { $schema, $id: MACHINE_JSON_SCHEMA_ID, ...rest };
}

/** `machineJsonSchema()` as the exact text of the committed file (2-space JSON, final newline). */
export function machineJsonSchemaText(): string {
  return `${JSON.stringify(machineJsonSchema(), null, 2)}\n`;
}
