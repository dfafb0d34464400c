"use client";

import { type VariableDeclaration, variableNameSchema, variableTypes } from "@parley/flow-schema";
import { TextField } from "@radix-ui/themes";
import { useState } from "react";
import { SimpleSelect } from "../../components/ui/simple-select";
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
      <SimpleSelect
        id={id}
        value={adding ? NEW : value}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        style={{ width: "100%" }}
        onValueChange={(next) => {
          if (next === NEW) setAdding(true);
          else {
            setAdding(false);
            onChange(next);
          }
        }}
        options={[
          { value: "", label: "Choose a variable…" },
          ...(value && !known ? [{ value, label: `${value} (not declared)` }] : []),
          ...offered.map((s) => ({ value: s.path, label: `${s.path} (${s.type})` })),
          { value: NEW, label: "+ New variable…" },
        ]}
      />
      {adding && (
        <fieldset className="row variable-new" aria-label="New variable">
          <TextField.Root
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
          <SimpleSelect
            aria-label="New variable type"
            value={type}
            onValueChange={(next) => setType(next as VariableDeclaration["type"])}
            options={variableTypes}
          />
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
