"use client";

import type { VariableSuggestion } from "../core/autocomplete";
import { blankValue, type FormSchema, resolveRef, unionVariants, variantIndexOf } from "../core/node-forms";
import { TemplateInput } from "./template-input";

/** What every field of a schema form needs. */
interface FieldContext {
  readonly root: FormSchema;
  readonly messages: ReadonlyMap<string, readonly string[]>;
  /** Messages that are hints for a step not done yet (shown quietly, not as errors). */
  readonly hints: ReadonlySet<string>;
  readonly suggestions: readonly VariableSuggestion[];
  readonly idPrefix: string;
}

const LONG_TEXT = new Set([
  "text",
  "prompt",
  "systemPrompt",
  "question",
  "message",
  "retryPrompt",
  "body",
  "template",
  "expression",
]);

function humanize(key: string): string {
  const spaced = key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[-_]/g, " ");
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function Messages({ path, context }: { path: string; context: FieldContext }) {
  // Problems of the node itself (path "") are shown once, above the form, by the inspector.
  if (path === "") return null;
  const list = context.messages.get(path);
  if (!list?.length) return null;
  return (
    <>
      {list.map((message) => (
        <div
          key={message}
          className={context.hints.has(message) ? "field-error hint" : "field-error"}
          data-testid={`field-error-${path || "node"}`}
        >
          {message}
        </div>
      ))}
    </>
  );
}

/**
 * Renders a form for a value from its JSON Schema (generated from the flow-schema zod schemas):
 * strings (with `{{` autocomplete), numbers, booleans, enums, objects, arrays, and unions told apart by a
 * constant property. Messages are shown under the field whose path they name.
 */
export function SchemaField({
  schema: raw,
  value,
  onChange,
  path,
  label,
  context,
}: {
  schema: FormSchema;
  value: unknown;
  onChange: (value: unknown) => void;
  path: string;
  label: string;
  context: FieldContext;
}) {
  const schema = resolveRef(raw, context.root);
  const id = `${context.idPrefix}-${path || "root"}`.replace(/[^A-Za-z0-9_-]/g, "-");
  const invalid = (context.messages.get(path) ?? []).some((message) => !context.hints.has(message));
  const title = schema.description;

  if (schema.anyOf || schema.oneOf) {
    const { variants, discriminator, labels } = unionVariants(schema, context.root);
    const current = variantIndexOf(variants, discriminator, value);
    const variant = variants[current];
    // A constant discriminator is the variant picker itself; an enum one stays a field of the variant.
    const skip = variant?.properties?.[discriminator ?? ""]?.const !== undefined ? discriminator : null;
    return (
      <div className="form-group">
        <label htmlFor={id} title={title}>
          {label}
        </label>
        <select
          id={id}
          value={current}
          onChange={(event) => onChange(blankValue(variants[Number(event.target.value)] ?? {}, context.root))}
        >
          {labels.map((text, index) => (
            <option key={text} value={index}>
              {text}
            </option>
          ))}
        </select>
        <Messages path={path} context={context} />
        {variant && (
          <div className="form-nested">
            <ObjectFields
              schema={variant}
              value={value}
              onChange={onChange}
              path={path}
              context={context}
              skip={skip}
            />
          </div>
        )}
      </div>
    );
  }

  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (schema.enum) {
    return (
      <div>
        <label htmlFor={id} title={title}>
          {label}
        </label>
        <select
          id={id}
          value={String(value ?? "")}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={invalid}
        >
          {schema.enum.map((option) => (
            <option key={String(option)} value={String(option)}>
              {String(option)}
            </option>
          ))}
        </select>
        <Messages path={path} context={context} />
      </div>
    );
  }
  if (schema.const !== undefined) return null;
  switch (type) {
    case "string":
      return (
        <div>
          <label htmlFor={id} title={title}>
            {label}
          </label>
          <TemplateInput
            id={id}
            value={typeof value === "string" ? value : ""}
            onChange={onChange}
            suggestions={context.suggestions}
            multiline={LONG_TEXT.has(path.split(".").at(-1) ?? "")}
            invalid={invalid}
          />
          <Messages path={path} context={context} />
        </div>
      );
    case "number":
    case "integer":
      return (
        <div>
          <label htmlFor={id} title={title}>
            {label}
          </label>
          <input
            id={id}
            type="number"
            step={type === "integer" ? 1 : "any"}
            value={typeof value === "number" ? value : ""}
            aria-invalid={invalid}
            onChange={(event) => onChange(event.target.value === "" ? undefined : Number(event.target.value))}
          />
          <Messages path={path} context={context} />
        </div>
      );
    case "boolean":
      return (
        <div>
          <label className="row" title={title}>
            <input
              type="checkbox"
              checked={value === true}
              onChange={(event) => onChange(event.target.checked)}
            />
            {label}
          </label>
          <Messages path={path} context={context} />
        </div>
      );
    case "array": {
      const items = Array.isArray(value) ? value : [];
      const itemSchema = schema.items ?? {};
      return (
        <div className="form-group">
          <div className="row">
            <b title={title}>{label}</b>
            <span className="spacer" />
            <button
              type="button"
              className="small"
              onClick={() => onChange([...items, blankValue(itemSchema, context.root)])}
            >
              Add
            </button>
          </div>
          <Messages path={path} context={context} />
          {items.map((item, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: list items have no identity of their own
            <div key={index} className="form-nested array-item">
              <SchemaField
                schema={itemSchema}
                value={item}
                onChange={(next) => onChange(items.map((old, i) => (i === index ? next : old)))}
                path={path ? `${path}.${index}` : String(index)}
                label={`${label} ${index + 1}`}
                context={context}
              />
              <button
                type="button"
                className="small danger"
                onClick={() => onChange(items.filter((_, i) => i !== index))}
              >
                Remove
              </button>
            </div>
          ))}
        </div>
      );
    }
    case "object":
      if (!schema.properties) {
        return (
          <div>
            <label htmlFor={id}>{label} (JSON)</label>
            <textarea
              id={id}
              defaultValue={JSON.stringify(value ?? {}, null, 2)}
              onBlur={(event) => {
                try {
                  onChange(JSON.parse(event.target.value));
                } catch {
                  // Keep the last valid value; the text stays for the user to fix.
                }
              }}
            />
            <Messages path={path} context={context} />
          </div>
        );
      }
      return (
        <div className="form-group">
          {path && <b title={title}>{label}</b>}
          <Messages path={path} context={context} />
          <div className={path ? "form-nested" : ""}>
            <ObjectFields
              schema={schema}
              value={value}
              onChange={onChange}
              path={path}
              context={context}
              skip={null}
            />
          </div>
        </div>
      );
    default:
      return (
        <div>
          <label htmlFor={id}>{label} (JSON)</label>
          <textarea
            id={id}
            defaultValue={JSON.stringify(value ?? null)}
            onBlur={(event) => {
              try {
                onChange(JSON.parse(event.target.value));
              } catch {
                // Not JSON yet.
              }
            }}
          />
          <Messages path={path} context={context} />
        </div>
      );
  }
}

/** Whether a property renders as a group with a heading row (lists and objects) rather than label + input. */
function hasHeadingRow(property: FormSchema, root: FormSchema): boolean {
  const schema = resolveRef(property, root);
  if (schema.anyOf || schema.oneOf) return false;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  return type === "array" || (type === "object" && schema.properties !== undefined);
}

/** The properties of an object schema: required ones always, optional ones when set or added. */
function ObjectFields({
  schema,
  value,
  onChange,
  path,
  context,
  skip,
}: {
  schema: FormSchema;
  value: unknown;
  onChange: (value: unknown) => void;
  path: string;
  context: FieldContext;
  skip: string | null;
}) {
  const object = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
  const required = new Set(schema.required ?? []);
  const entries = Object.entries(schema.properties ?? {}).filter(([key]) => key !== skip);
  const absent = entries.filter(([key]) => !required.has(key) && object[key] === undefined);
  return (
    <>
      {entries
        .filter(([key]) => required.has(key) || object[key] !== undefined)
        .map(([key, property]) => (
          <div key={key} className="row" style={{ alignItems: "flex-start" }}>
            <div style={{ flex: 1 }}>
              <SchemaField
                schema={property}
                value={object[key]}
                onChange={(next) => onChange({ ...object, [key]: next })}
                path={path ? `${path}.${key}` : key}
                label={humanize(key)}
                context={context}
              />
            </div>
            {!required.has(key) && (
              <button
                type="button"
                className="small"
                title={`Remove ${humanize(key)}`}
                aria-label={`Remove ${humanize(key)}`}
                // Level with the field's input; groups (lists, objects) have their heading row there.
                style={{ marginTop: hasHeadingRow(property, context.root) ? 8 : 24 }}
                onClick={() => {
                  const { [key]: _removed, ...rest } = object;
                  onChange(rest);
                }}
              >
                ×
              </button>
            )}
          </div>
        ))}
      {absent.length > 0 && (
        <select
          aria-label="Add an optional setting"
          value=""
          onChange={(event) => {
            const key = event.target.value;
            const property = schema.properties?.[key];
            if (property) onChange({ ...object, [key]: blankValue(property, context.root) });
          }}
          style={{ marginTop: 8 }}
        >
          <option value="">+ Optional setting…</option>
          {absent.map(([key]) => (
            <option key={key} value={key}>
              {humanize(key)}
            </option>
          ))}
        </select>
      )}
    </>
  );
}
