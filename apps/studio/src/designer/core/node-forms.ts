import {
  abSplitNodeDataSchema,
  askNodeDataSchema,
  conditionNodeDataSchema,
  endNodeDataSchema,
  type FlowDocument,
  type FlowProblem,
  flowNodeSchema,
  handoffNodeDataSchema,
  httpNodeDataSchema,
  intentNodeDataSchema,
  jumpNodeDataSchema,
  knowledgeNodeDataSchema,
  llmNodeDataSchema,
  messageNodeDataSchema,
  type NodeKind,
  setVariableNodeDataSchema,
  startNodeDataSchema,
  subflowNodeDataSchema,
  waitNodeDataSchema,
} from "@parley/flow-schema";
import { z } from "zod";

/** The data schema of each node kind, straight from @parley/flow-schema. */
export const nodeDataSchemas: Record<NodeKind, z.ZodType> = {
  start: startNodeDataSchema,
  message: messageNodeDataSchema,
  ask: askNodeDataSchema,
  condition: conditionNodeDataSchema,
  "set-variable": setVariableNodeDataSchema,
  http: httpNodeDataSchema,
  llm: llmNodeDataSchema,
  intent: intentNodeDataSchema,
  knowledge: knowledgeNodeDataSchema,
  handoff: handoffNodeDataSchema,
  subflow: subflowNodeDataSchema,
  jump: jumpNodeDataSchema,
  wait: waitNodeDataSchema,
  "ab-split": abSplitNodeDataSchema,
  end: endNodeDataSchema,
};

/** A JSON Schema node as the form renderer reads it (the subset z.toJSONSchema produces). */
export interface FormSchema {
  type?: string | string[];
  properties?: Record<string, FormSchema>;
  required?: string[];
  items?: FormSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: FormSchema[];
  oneOf?: FormSchema[];
  $ref?: string;
  $defs?: Record<string, FormSchema>;
  description?: string;
  title?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  additionalProperties?: boolean | FormSchema;
}

const cache = new Map<NodeKind, FormSchema>();

/**
 * The JSON Schema of a kind's data (input side: defaults are optional), which the inspector renders
 * as a form. Generated once per kind from the zod schema, so the form follows the schema.
 */
export function nodeDataFormSchema(kind: NodeKind): FormSchema {
  let schema = cache.get(kind);
  if (!schema) {
    schema = z.toJSONSchema(nodeDataSchemas[kind], { io: "input", unrepresentable: "any" }) as FormSchema;
    cache.set(kind, schema);
  }
  return schema;
}

/**
 * `root` with the named properties of its (referenced) object left out: fields a dedicated editor
 * shows instead of the generic form (the http node's `operation` and `inputs`, edited by the
 * connector operation picker).
 */
export function withoutFields(root: FormSchema, names: readonly string[]): FormSchema {
  const object = resolveRef(root, root);
  if (!object.properties) return root;
  const properties = Object.fromEntries(
    Object.entries(object.properties).filter(([name]) => !names.includes(name)),
  );
  const required = object.required?.filter((name) => !names.includes(name));
  return {
    ...object,
    properties,
    ...(required ? { required } : {}),
    ...(root.$defs ? { $defs: root.$defs } : {}),
  };
}

/** Resolves a `$ref` against the root's `$defs` (one level of indirection at a time). */
export function resolveRef(schema: FormSchema, root: FormSchema): FormSchema {
  let current = schema;
  for (let guard = 0; current.$ref && guard < 10; guard++) {
    const name = current.$ref.replace(/^#\/\$defs\//, "");
    const target = root.$defs?.[name];
    if (!target) break;
    current = { ...target, ...(current.description ? { description: current.description } : {}) };
  }
  return current;
}

/** The values a variant's discriminator property may take (a `const`, or an `enum` of several). */
function discriminatorValues(variant: FormSchema, key: string): unknown[] | null {
  const property = variant.properties?.[key];
  if (property?.const !== undefined) return [property.const];
  return property?.enum ?? null;
}

/**
 * The variants of a union (anyOf/oneOf), with the discriminator of each when the variants are
 * objects told apart by a property with fixed values: a constant (`type: "text" | "number"` ...) or
 * an enum per variant (condition rules by `operator`).
 */
export function unionVariants(
  schema: FormSchema,
  root: FormSchema,
): { variants: FormSchema[]; discriminator: string | null; labels: string[] } {
  const variants = (schema.anyOf ?? schema.oneOf ?? []).map((v) => resolveRef(v, root));
  const first = variants[0]?.properties ?? {};
  const discriminator =
    Object.keys(first).find((key) => variants.every((v) => discriminatorValues(v, key) !== null)) ?? null;
  const labels = variants.map((v, index) =>
    discriminator
      ? (discriminatorValues(v, discriminator) ?? []).map(String).join(" / ")
      : v.type
        ? String(v.type)
        : `option ${index + 1}`,
  );
  return { variants, discriminator, labels };
}

/** The JSON Schema type name of a value (`null`, `array`, `object`, `string`, `number`, `boolean`). */
function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/**
 * Which variant of a union a value is: by its discriminator, or (unions told apart by type, such as
 * a fixed value's text / number / yes-no, or `""` versus an id) by a matching constant, then by
 * JSON type. 0 when none matches.
 */
export function variantIndexOf(
  variants: readonly FormSchema[],
  discriminator: string | null,
  value: unknown,
): number {
  if (!discriminator) {
    const byConst = variants.findIndex((v) => v.const !== undefined && v.const === value);
    if (byConst >= 0) return byConst;
    const type = jsonTypeOf(value);
    const byType = variants.findIndex(
      (v) => v.const === undefined && (v.type === type || (type === "number" && v.type === "integer")),
    );
    return Math.max(0, byType);
  }
  const tag = (value as Record<string, unknown> | undefined)?.[discriminator];
  return Math.max(
    0,
    variants.findIndex((v) => discriminatorValues(v, discriminator)?.includes(tag)),
  );
}

/** A blank value for a schema (what "add item" inserts, or a newly shown optional field). */
export function blankValue(schema: FormSchema, root: FormSchema): unknown {
  const s = resolveRef(schema, root);
  if (s.default !== undefined) return structuredClone(s.default);
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.anyOf || s.oneOf) {
    const { variants } = unionVariants(s, root);
    return variants[0] ? blankValue(variants[0], root) : null;
  }
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case "string":
      return "";
    case "number":
    case "integer":
      return s.minimum ?? 0;
    case "boolean":
      return false;
    case "array":
      return [];
    case "object": {
      const value: Record<string, unknown> = {};
      for (const key of s.required ?? []) {
        const property = s.properties?.[key];
        if (property) value[key] = blankValue(property, root);
      }
      return value;
    }
    default:
      return null;
  }
}

/**
 * Field-level messages for one node, keyed by the dotted path inside its data (`prompt`,
 * `input.options.0.label`): shape errors from the node's zod schema, and the validator's problems
 * located under this node's data. `""` holds messages about the node as a whole.
 */
export function fieldMessages(
  doc: FlowDocument,
  nodeId: string,
  problems: readonly FlowProblem[],
): Map<string, string[]> {
  const messages = new Map<string, string[]>();
  const add = (path: string, message: string) => {
    const list = messages.get(path);
    if (list) {
      if (!list.includes(message)) list.push(message);
    } else messages.set(path, [message]);
  };
  const index = doc.nodes.findIndex((n) => n.id === nodeId);
  const node = doc.nodes[index];
  if (!node) return messages;
  const parsed = flowNodeSchema.safeParse(node);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [head, ...rest] = issue.path;
      add(head === "data" ? rest.join(".") : head === "label" ? "$label" : "", issue.message);
    }
  }
  for (const problem of problems) {
    if (problem.nodeId !== nodeId) continue;
    const [n, i, part, ...rest] = problem.path;
    if (n === "nodes" && i === index && part === "data") add(rest.join("."), problem.message);
    else add("", problem.message);
  }
  return messages;
}
