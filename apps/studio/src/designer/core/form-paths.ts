import type { NodeKind } from "@parley/flow-schema";
import { type FormSchema, nodeDataFormSchema, resolveRef, unionVariants } from "./node-forms";

/** One field the inspector renders for a kind: its path pattern (list items as `*`) and its choices. */
export interface FormField {
  /** Dotted path inside the node's data, list indexes as `*` (`groups.*.rules`). */
  readonly pattern: string;
  /** The values of an enum field, or the variants of a union by their tag or JSON type. */
  readonly choices: readonly string[];
}

/** The variant names of a union: the discriminator's values, else each variant's JSON type. */
export function variantNames(schema: FormSchema, root: FormSchema): string[] {
  const { variants, discriminator, labels } = unionVariants(schema, root);
  if (discriminator) return labels;
  return variants.map((variant, index) =>
    variant.const !== undefined
      ? `const:${String(variant.const)}`
      : typeof variant.type === "string"
        ? variant.type
        : `option ${index + 1}`,
  );
}

/**
 * Every field the schema form of `kind` can show, walked from its JSON Schema: object properties,
 * list items, union variants (their fields share the union's path) and enums. Used to check that
 * each has words for the user (see field-guide.ts).
 */
export function formFields(kind: NodeKind): FormField[] {
  const root = nodeDataFormSchema(kind);
  const fields = new Map<string, Set<string>>();
  const seen = new Map<string, Set<FormSchema>>();
  const walk = (raw: FormSchema, pattern: string, depth: number) => {
    const schema = resolveRef(raw, root);
    const visited = seen.get(pattern) ?? new Set<FormSchema>();
    seen.set(pattern, visited);
    if (depth > 8 || visited.has(raw)) return;
    visited.add(raw);
    const choices = fields.get(pattern) ?? new Set<string>();
    if (pattern) fields.set(pattern, choices);
    if (schema.anyOf || schema.oneOf) {
      const { variants, discriminator } = unionVariants(schema, root);
      for (const name of variantNames(schema, root)) choices.add(name);
      // Recursive JSON values (a set-variable literal) are edited as JSON below their type picker.
      if (!discriminator) return;
      for (const variant of variants) walk(variant, pattern, depth + 1);
      return;
    }
    if (schema.enum) for (const value of schema.enum) choices.add(String(value));
    const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
    if (type === "array" && schema.items) walk(schema.items, pattern ? `${pattern}.*` : "*", depth + 1);
    if (type === "object" && schema.properties) {
      for (const [name, property] of Object.entries(schema.properties)) {
        // A constant property is a union's tag: the variant picker stands for it.
        if (resolveRef(property, root).const !== undefined) continue;
        walk(property, pattern ? `${pattern}.${name}` : name, depth + 1);
      }
    }
  };
  walk(root, "", 0);
  return [...fields].map(([pattern, choices]) => ({ pattern, choices: [...choices] }));
}
