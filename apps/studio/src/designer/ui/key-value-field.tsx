"use client";

import { Checkbox, Text, TextArea, TextField } from "@radix-ui/themes";
import { useEffect, useId, useState } from "react";

/** One editable row: a name and its value (kept as typed until the row is complete). */
interface Row {
  key: string;
  value: string;
}

const rowsOf = (value: unknown): Row[] =>
  value && typeof value === "object" && !Array.isArray(value)
    ? Object.entries(value as Record<string, unknown>).map(([key, v]) => ({ key, value: String(v ?? "") }))
    : [];

const objectOf = (rows: readonly Row[]): Record<string, string> =>
  Object.fromEntries(rows.filter((row) => row.key.trim() !== "").map((row) => [row.key.trim(), row.value]));

/** The JSON text's object of strings, or the reason it is not one. */
export function parseStringRecord(
  text: string,
): { ok: true; value: Record<string, string> } | { ok: false; error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.trim() === "" ? "{}" : text);
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${(error as Error).message}` };
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    return { ok: false, error: 'Write a JSON object, e.g. { "X-Shop": "{{ shop }}" }.' };
  const bad = Object.entries(parsed as Record<string, unknown>).find(([, v]) => typeof v !== "string");
  if (bad) return { ok: false, error: `The value of "${bad[0]}" must be text (in quotes).` };
  return { ok: true, value: parsed as Record<string, string> };
}

/**
 * A name -> text map (the http node's headers and query) edited as rows of name and value, with a
 * "JSON" toggle for pasting an object: invalid JSON is reported under the box and not applied.
 */
export function KeyValueField({
  id,
  label,
  help,
  value,
  onChange,
  describedBy,
  noun = "header",
}: {
  id: string;
  label: string;
  help?: string | undefined;
  value: unknown;
  onChange: (value: Record<string, string>) => void;
  describedBy?: string | undefined;
  noun?: string;
}) {
  const [rows, setRows] = useState<Row[]>(() => rowsOf(value));
  const [json, setJson] = useState(false);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  // Another edit (undo, a connector operation) replaced the value: show it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only outside changes of `value` matter, not row edits.
  useEffect(() => {
    if (JSON.stringify(objectOf(rows)) !== JSON.stringify(value ?? {})) setRows(rowsOf(value));
  }, [value]);
  const update = (next: Row[]) => {
    setRows(next);
    onChange(objectOf(next));
  };
  return (
    <div className="key-value-field" data-testid={`key-value-${id}`}>
      <div className="row">
        <b id={`${id}-label`}>{label}</b>
        <Text
          as="label"
          size="1"
          style={{ marginLeft: "auto", display: "flex", gap: 6, alignItems: "center" }}
        >
          <Checkbox
            size="1"
            checked={json}
            onCheckedChange={(checked) => {
              const on = checked === true;
              setJson(on);
              setError(null);
              if (on) setText(JSON.stringify(objectOf(rows), null, 2));
            }}
          />
          JSON
        </Text>
      </div>
      {help && (
        <div className="field-help" id={`${id}-help`}>
          {help}
        </div>
      )}
      {json ? (
        <>
          <TextArea
            id={id}
            aria-labelledby={`${id}-label`}
            aria-describedby={
              [describedBy, error ? errorId : undefined].filter(Boolean).join(" ") || undefined
            }
            aria-invalid={error ? true : undefined}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              const parsed = parseStringRecord(event.target.value);
              setError(parsed.ok ? null : parsed.error);
              if (parsed.ok) {
                setRows(rowsOf(parsed.value));
                onChange(parsed.value);
              }
            }}
          />
          {error && (
            <div className="field-error" id={errorId} role="alert" data-testid="key-value-json-error">
              {error}
            </div>
          )}
        </>
      ) : (
        <fieldset aria-labelledby={`${id}-label`} style={{ border: 0, padding: 0, margin: 0 }}>
          {rows.map((row, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; their order is their identity.
            <div key={index} className="row key-value-row">
              <TextField.Root
                aria-label={`${noun} ${index + 1} name`}
                placeholder="Name"
                value={row.key}
                onChange={(event) =>
                  update(rows.map((r, i) => (i === index ? { ...r, key: event.target.value } : r)))
                }
              />
              <TextField.Root
                aria-label={`${noun} ${index + 1} value`}
                placeholder="Value (may use {{ variables }})"
                value={row.value}
                onChange={(event) =>
                  update(rows.map((r, i) => (i === index ? { ...r, value: event.target.value } : r)))
                }
              />
              <button
                type="button"
                className="small danger"
                aria-label={`Remove ${noun} ${index + 1}`}
                onClick={() => update(rows.filter((_, i) => i !== index))}
              >
                Remove
              </button>
            </div>
          ))}
          <button type="button" className="small" onClick={() => setRows([...rows, { key: "", value: "" }])}>
            Add {noun}
          </button>
        </fieldset>
      )}
    </div>
  );
}
