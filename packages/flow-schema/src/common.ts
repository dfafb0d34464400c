import { z } from "zod";

/**
 * Pattern of a variable name (and of every identifier-like name in a flow: intent names,
 * extract fields, entity names). Letters, digits and `_`, not starting with a digit.
 */
export const IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Pattern of a variable path: a variable name followed by `.segment` parts, where a segment is a
 * property name or an array index (`order.items.0.name`).
 */
export const VARIABLE_PATH_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;

/** Pattern of node ids, edge ids and flow ids: URL- and handle-safe, so they can appear in paths. */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]+$/;

/** Pattern of a named output handle (also of condition group ids, choice option ids, variant ids). */
export const HANDLE_PATTERN = /^[A-Za-z0-9_-]+$/;

/** Id of a node (unique within a flow). */
export const nodeIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(ID_PATTERN, "must contain only letters, digits and . _ : -");

/** Id of a flow (unique within a bot). Subflow nodes refer to other flows by this id. */
export const flowIdSchema = nodeIdSchema;

/**
 * Name of a named output handle, or of an item that becomes one (a condition group id, an intent
 * name, an ab-split variant id).
 */
export const handleIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(HANDLE_PATTERN, "must contain only letters, digits, _ and -");

/** Name of a declared variable (`customerName`). */
export const variableNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(IDENTIFIER_PATTERN, "must be an identifier: letters, digits and _, not starting with a digit");

/** A dotted path into the variables, starting with a variable name (`order.size`, `sys.channel`). */
export const variablePathSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(VARIABLE_PATH_PATTERN, "must be a dotted variable path such as order.size");

/**
 * Text with `{{ path }}` placeholders, rendered with path lookups only (no code).
 * See `renderTemplate`.
 */
export const templateSchema = z.string().max(20_000);

/** A JSONata expression (https://jsonata.org). Only ever parsed here; the engine evaluates it. */
export const jsonataExpressionSchema = z.string().min(1).max(10_000);

/** Any JSON value. */
export const jsonValueSchema = z.json();

/** A JSON value (string, number, boolean, null, array or object of JSON values). */
export type JsonValue = z.infer<typeof jsonValueSchema>;

/** A timeout for an effect, in milliseconds (100 ms to 2 minutes). */
export const effectTimeoutMsSchema = z.number().int().min(100).max(120_000);

/** Name of a model route configured for the tenant (e.g. `default`, `fast`, `gpt-4o`). */
export const modelRouteNameSchema = z.string().min(1).max(128);

/** Canvas position of a node, in canvas pixels. */
export const positionSchema = z.strictObject({ x: z.number(), y: z.number() }).meta({
  id: "NodePosition",
  description: "Position of the node on the canvas, in canvas pixels.",
});

/** Canvas position of a node. */
export type NodePosition = z.infer<typeof positionSchema>;
