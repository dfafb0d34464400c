"use client";

import type { FlowDocument, NodeKind, VariableDeclaration } from "@parley/flow-schema";
import { Checkbox, Text, TextArea, TextField } from "@radix-ui/themes";
import { SimpleSelect } from "../../components/ui/simple-select";
import type { VariableSuggestion } from "../core/autocomplete";
import { type FieldGuide, guideFor } from "../core/field-guide";
import { variantNames } from "../core/form-paths";
import { blankValue, type FormSchema, resolveRef, unionVariants, variantIndexOf } from "../core/node-forms";
import { KeyValueField } from "./key-value-field";
import { DurationMsField, FlowField, NodeField } from "./special-fields";
import { TemplateInput } from "./template-input";
import { VariableField } from "./variable-field";

/** What every field of a schema form needs. */
export interface FieldContext {
  readonly root: FormSchema;
  /** The node being edited: its kind names the field guide, its id and document feed the pickers. */
  readonly kind: NodeKind;
  readonly nodeId: string;
  readonly doc: FlowDocument;
  readonly botId: string;
  /** Declares a variable together with the change that follows (the picker's "New variable…"). */
  readonly declare: (variable: VariableDeclaration) => void;
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

/** A last resort label for a field the guide has no words for (the guide test keeps this unused). */
function humanize(key: string): string {
  const spaced = key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[-_]/g, " ");
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** The help line under a field's label; its id is what the input's aria-describedby names. */
function Help({ id, guide }: { id: string; guide: FieldGuide | undefined }) {
  if (!guide?.help) return null;
  return (
    <div className="field-help" id={`${id}-help`}>
      {guide.help}
    </div>
  );
}

/** The label a property gets: the guide's words, else the key spaced out. */
function labelOf(context: FieldContext, path: string, key: string): string {
  return guideFor(context.kind, path)?.label ?? humanize(key);
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
  label: labelProp,
  context,
  plain = false,
}: {
  schema: FormSchema;
  value: unknown;
  onChange: (value: unknown) => void;
  path: string;
  label: string;
  context: FieldContext;
  /** The value editor of a union's chosen type: no guide words again (the union's picker has them). */
  plain?: boolean;
}) {
  const rawLabel = labelProp;
  const schema = resolveRef(raw, context.root);
  const id = `${context.idPrefix}-${path || "root"}`.replace(/[^A-Za-z0-9_-]/g, "-");
  const invalid = (context.messages.get(path) ?? []).some((message) => !context.hints.has(message));
  const guide = path && !plain ? guideFor(context.kind, path) : undefined;
  const label = guide?.label ?? rawLabel;
  const describedBy = guide?.help ? `${id}-help` : undefined;

  if (guide?.editor) {
    const text = typeof value === "string" ? value : "";
    return (
      <div>
        <label htmlFor={id}>{label}</label>
        <Help id={id} guide={guide} />
        {guide.editor === "duration-ms" ? (
          <DurationMsField
            id={id}
            value={typeof value === "number" ? value : undefined}
            onChange={onChange}
            invalid={invalid}
            describedBy={describedBy}
          />
        ) : guide.editor === "node" ? (
          <NodeField
            id={id}
            value={text}
            onChange={onChange}
            doc={context.doc}
            selfId={context.nodeId}
            invalid={invalid}
            describedBy={describedBy}
          />
        ) : guide.editor === "flow" ? (
          <FlowField
            id={id}
            value={text}
            onChange={onChange}
            botId={context.botId}
            invalid={invalid}
            describedBy={describedBy}
          />
        ) : (
          <VariableField
            id={id}
            value={text}
            onChange={onChange}
            onDeclare={context.declare}
            suggestions={context.suggestions}
            includeSystem={guide.editor === "variable-path"}
            invalid={invalid}
            describedBy={describedBy}
          />
        )}
        <Messages path={path} context={context} />
      </div>
    );
  }

  if (schema.anyOf || schema.oneOf) {
    const { variants, discriminator } = unionVariants(schema, context.root);
    const labels = variantNames(schema, context.root).map((name) => guide?.options?.[name] ?? name);
    const current = variantIndexOf(variants, discriminator, value);
    const variant = variants[current];
    // A constant discriminator is the variant picker itself; an enum one stays a field of the variant.
    const skip = variant?.properties?.[discriminator ?? ""]?.const !== undefined ? discriminator : null;
    return (
      <div className="form-group">
        <label htmlFor={id}>{label}</label>
        <Help id={id} guide={guide} />
        <SimpleSelect
          id={id}
          aria-describedby={describedBy}
          value={String(current)}
          onValueChange={(next) => onChange(blankValue(variants[Number(next)] ?? {}, context.root))}
          options={labels.map((text, index) => ({ value: String(index), label: text }))}
        />
        <Messages path={path} context={context} />
        {variant && !discriminator && (
          <SchemaField
            schema={variant}
            value={value}
            onChange={onChange}
            path={path}
            label={labels[current] ?? label}
            context={context}
            plain
          />
        )}
        {variant && discriminator && (
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
        <label htmlFor={id}>{label}</label>
        <Help id={id} guide={guide} />
        <SimpleSelect
          id={id}
          value={String(value ?? "")}
          onValueChange={onChange}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          options={schema.enum.map((option) => ({
            value: String(option),
            label: guide?.options?.[String(option)] ?? String(option),
          }))}
        />
        <Messages path={path} context={context} />
      </div>
    );
  }
  if (schema.const !== undefined || schema.type === "null") return null;
  switch (type) {
    case "string":
      return (
        <div>
          <label htmlFor={id}>{label}</label>
          <Help id={id} guide={guide} />
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
          <label htmlFor={id}>{label}</label>
          <Help id={id} guide={guide} />
          <TextField.Root
            id={id}
            type="number"
            aria-describedby={describedBy}
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
          <Text as="label" size="2" className="row">
            <Checkbox
              aria-describedby={describedBy}
              checked={value === true}
              onCheckedChange={(checked) => onChange(checked === true)}
            />
            {label}
          </Text>
          <Help id={id} guide={guide} />
          <Messages path={path} context={context} />
        </div>
      );
    case "array": {
      const items = Array.isArray(value) ? value : [];
      const itemSchema = schema.items ?? {};
      const item = guide?.item ?? label;
      return (
        <div className="form-group">
          <div className="row">
            <b>{label}</b>
            <span className="spacer" />
            <button
              type="button"
              className="small"
              onClick={() => onChange([...items, blankValue(itemSchema, context.root)])}
            >
              Add {item.toLowerCase()}
            </button>
          </div>
          <Help id={id} guide={guide} />
          <Messages path={path} context={context} />
          {items.map((item, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: list items have no identity of their own
            <div key={index} className="form-nested array-item">
              <SchemaField
                schema={itemSchema}
                value={item}
                onChange={(next) => onChange(items.map((old, i) => (i === index ? next : old)))}
                path={path ? `${path}.${index}` : String(index)}
                label={`${item} ${index + 1}`}
                context={context}
              />
              <button
                type="button"
                className="small danger"
                aria-label={`Remove ${item.toLowerCase()} ${index + 1}`}
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
      if (!schema.properties && isStringRecord(schema, context.root)) {
        return (
          <KeyValueField
            id={id}
            label={label}
            help={guide?.help}
            value={value}
            onChange={onChange}
            describedBy={describedBy}
            noun={path.endsWith("query") ? "parameter" : path.endsWith("headers") ? "header" : "entry"}
          />
        );
      }
      if (!schema.properties) {
        return (
          <div>
            <label htmlFor={id}>{label}</label>
            <Help id={id} guide={guide} />
            <TextArea
              id={id}
              aria-describedby={describedBy}
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
          {path && <b>{label}</b>}
          {path && <Help id={id} guide={guide} />}
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
          <label htmlFor={id}>{label}</label>
          <Help id={id} guide={guide} />
          <TextArea
            id={id}
            aria-describedby={describedBy}
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
                label={labelOf(context, path ? `${path}.${key}` : key, key)}
                context={context}
              />
            </div>
            {!required.has(key) && (
              <button
                type="button"
                className="small"
                title={`Remove ${labelOf(context, path ? `${path}.${key}` : key, key)}`}
                aria-label={`Remove ${labelOf(context, path ? `${path}.${key}` : key, key)}`}
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
        // A picker, not a value: it always shows its placeholder (a new one once a setting is added).
        <SimpleSelect
          key={absent.map(([key]) => key).join(" ")}
          aria-label="Add an optional setting"
          placeholder="+ Optional setting…"
          value=""
          onValueChange={(key) => {
            const property = schema.properties?.[key];
            if (property) onChange({ ...object, [key]: blankValue(property, context.root) });
          }}
          style={{ marginTop: 8 }}
          options={absent.map(([key]) => ({
            value: key,
            label: labelOf(context, path ? `${path}.${key}` : key, key),
          }))}
        />
      )}
    </>
  );
}

/** Whether an object schema is a map of names to text (headers, query): edited as rows. */
function isStringRecord(schema: FormSchema, root: FormSchema): boolean {
  const values = schema.additionalProperties;
  if (!values || values === true) return false;
  const resolved = resolveRef(values, root);
  return resolved.type === "string";
}
