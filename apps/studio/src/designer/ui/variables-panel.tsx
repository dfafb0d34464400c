"use client";

import {
  type FlowDocument,
  type VariableDeclaration,
  variableDeclarationSchema,
  variableTypes,
} from "@parley/flow-schema";
import { useState } from "react";

/**
 * Declares the flow's variables: name, type, scope, default, and whether the widget may preset it
 * (`clientSettable`; visitors are untrusted, so it is off unless the author opens it).
 */
export function VariablesPanel({
  doc,
  readOnly,
  onUpsert,
  onRemove,
}: {
  doc: FlowDocument;
  readOnly: boolean;
  onUpsert: (variable: VariableDeclaration, previousName?: string) => void;
  onRemove: (name: string) => void;
}) {
  const [name, setName] = useState("");
  const [type, setType] = useState<VariableDeclaration["type"]>("string");
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="side-section" data-testid="variables-panel">
      {doc.variables.length === 0 && <p className="muted">No variables yet.</p>}
      {doc.variables.length > 0 && (
        <p className="muted" id="client-settable-help">
          “Widget may preset”: the website's chat widget (anyone visiting it) may set this variable when a
          conversation starts; the value is checked against the type. Leave it off for anything the flow must
          be able to trust.
        </p>
      )}
      {doc.variables.map((variable) => (
        <div key={variable.name} className="variable-row">
          <code>{variable.name}</code>
          <select
            aria-label={`Type of ${variable.name}`}
            value={variable.type}
            disabled={readOnly}
            onChange={(e) => {
              const { default: _d, ...rest } = variable;
              onUpsert({ ...rest, type: e.target.value as VariableDeclaration["type"] });
            }}
          >
            {variableTypes.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <select
            aria-label={`Scope of ${variable.name}`}
            value={variable.scope}
            disabled={readOnly}
            onChange={(e) => onUpsert({ ...variable, scope: e.target.value as VariableDeclaration["scope"] })}
          >
            <option value="conversation">conversation</option>
            <option value="contact">contact</option>
          </select>
          {!readOnly && (
            <button
              type="button"
              className="small danger"
              onClick={() => onRemove(variable.name)}
              aria-label={`Remove ${variable.name}`}
            >
              ×
            </button>
          )}
          <label
            className="inline-check"
            title="The website's widget (publishable key) may preset this variable when it starts a conversation. Leave off for anything the flow must be able to trust."
          >
            <input
              type="checkbox"
              aria-label={`Widget may preset ${variable.name}`}
              aria-describedby="client-settable-help"
              checked={variable.clientSettable === true}
              disabled={readOnly}
              onChange={(e) => {
                const { clientSettable: _c, ...rest } = variable;
                onUpsert(e.target.checked ? { ...rest, clientSettable: true } : rest);
              }}
            />
            widget may preset
          </label>
        </div>
      ))}
      {!readOnly && (
        <form
          className="row"
          onSubmit={(event) => {
            event.preventDefault();
            const parsed = variableDeclarationSchema.safeParse({ name, type, scope: "conversation" });
            if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? "invalid variable");
            if (doc.variables.some((v) => v.name === name)) return setError(`${name} is already declared`);
            setError(null);
            onUpsert(parsed.data);
            setName("");
          }}
        >
          <input
            aria-label="New variable name"
            placeholder="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <select
            aria-label="New variable type"
            value={type}
            onChange={(e) => setType(e.target.value as VariableDeclaration["type"])}
          >
            {variableTypes.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <button type="submit" className="small">
            Add
          </button>
        </form>
      )}
      {error && <div className="field-error">{error}</div>}
    </div>
  );
}
