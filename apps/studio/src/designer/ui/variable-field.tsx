"use client";

import { type VariableDeclaration, variableNameSchema, variableTypes } from "@parley/flow-schema";
import { useState } from "react";
import type { VariableSuggestion } from "../core/autocomplete";

const NEW = "\u0000new";

/**
 * A variable picker: the flow's declared variables (and, for a value read, the `sys.*` ones) in a
 * list, plus "New variable…", which asks for a name and a type and declares it in the same edit.
 */
export function VariableField({
  id,
  value,
  onChange,
  onDeclare,
  suggestions,
  includeSystem,
  invalid,
  describedBy,
}: {
  id: string;
  value: string;
  onChange: (name: string) => void;
  /** Declares a variable; the caller applies it together with the next change. */
  onDeclare: (variable: VariableDeclaration) => void;
  suggestions: readonly VariableSuggestion[];
  includeSystem: boolean;
  invalid: boolean;
  describedBy?: string;
}) {
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState("");
  const [type, setType] = useState<VariableDeclaration["type"]>("string");
  const offered = suggestions.filter((s) => includeSystem || !s.path.startsWith("sys."));
  const known = offered.some((s) => s.path === value);
  const nameValid = variableNameSchema.safeParse(name).success && !offered.some((s) => s.path === name);
  const declare = () => {
    if (!nameValid) return;
    onDeclare({ name, type, scope: "conversation" });
    onChange(name);
    setAdding(false);
    setName("");
  };
  return (
    <div className="variable-field">
      <select
        id={id}
        value={adding ? NEW : value}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        onChange={(event) => {
          if (event.target.value === NEW) setAdding(true);
          else {
            setAdding(false);
            onChange(event.target.value);
          }
        }}
      >
        <option value="">Choose a variable…</option>
        {value && !known && <option value={value}>{value} (not declared)</option>}
        {offered.map((s) => (
          <option key={s.path} value={s.path}>
            {s.path} ({s.type})
          </option>
        ))}
        <option value={NEW}>+ New variable…</option>
      </select>
      {adding && (
        <fieldset className="row variable-new" aria-label="New variable">
          <input
            aria-label="New variable name"
            placeholder="name, e.g. email"
            value={name}
            // biome-ignore lint/a11y/noAutofocus: the user just asked for a new variable; typing its name is next
            autoFocus
            aria-invalid={name !== "" && !nameValid}
            onChange={(event) => setName(event.target.value.trim())}
            onKeyDown={(event) => {
              if (event.key === "Enter") {
                event.preventDefault();
                declare();
              }
            }}
          />
          <select
            aria-label="New variable type"
            value={type}
            onChange={(event) => setType(event.target.value as VariableDeclaration["type"])}
          >
            {variableTypes.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <button type="button" className="small primary" disabled={!nameValid} onClick={declare}>
            Create
          </button>
          <button type="button" className="small" onClick={() => setAdding(false)}>
            Cancel
          </button>
        </fieldset>
      )}
    </div>
  );
}
