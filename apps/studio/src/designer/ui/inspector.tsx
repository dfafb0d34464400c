"use client";

import {
  type ConditionNodeData,
  type FlowDocument,
  type FlowProblem,
  type HttpNodeData,
  nodeCatalog,
  type VariableDeclaration,
} from "@parley/flow-schema";
import { TextField } from "@radix-ui/themes";
import { useMemo, useRef } from "react";
import type { VariableSuggestion } from "../core/autocomplete";
import { fieldMessages, nodeDataFormSchema, withoutFields } from "../core/node-forms";
import { problemTone } from "../core/problem-tones";
import { ConditionEditor } from "./condition-editor";
import { ConnectorOperationPicker } from "./connector-operation-picker";
import { HttpTestRequest } from "./http-test-request";
import { NodeIcon } from "./icons";
import { SchemaField } from "./schema-form";

let httpForm: ReturnType<typeof nodeDataFormSchema> | undefined;
/** The http node's form without `operation` and `inputs`: the connector operation picker edits them. */
const httpFormSchema = () => {
  httpForm ??= withoutFields(nodeDataFormSchema("http"), ["operation", "inputs"]);
  return httpForm;
};

/** The settings form of the selected node, built from its kind's schema, with inline validation. */
export function Inspector({
  botId,
  doc,
  nodeId,
  problems,
  suggestions,
  readOnly,
  onChange,
}: {
  botId: string;
  doc: FlowDocument;
  nodeId: string;
  problems: readonly FlowProblem[];
  suggestions: readonly VariableSuggestion[];
  readOnly: boolean;
  /** `declare`: a variable the user created in a picker, declared in the same edit as the change. */
  onChange: (
    patch: { label?: string; data?: unknown },
    coalesceKey: string,
    declare?: VariableDeclaration,
  ) => void;
}) {
  // A picker's "New variable…" declares first, then changes the field, in one tick: the declaration
  // waits here and goes with that change, so one edit (one undo step) does both.
  const declared = useRef<VariableDeclaration | undefined>(undefined);
  const changeData = (data: unknown) => {
    const variable = declared.current;
    declared.current = undefined;
    onChange({ data }, `${nodeId}:data`, variable);
  };
  const node = doc.nodes.find((n) => n.id === nodeId);
  const messages = useMemo(() => fieldMessages(doc, nodeId, problems), [doc, nodeId, problems]);
  const hints = useMemo(
    () =>
      new Set(problems.filter((p) => p.nodeId === nodeId && problemTone(p) === "todo").map((p) => p.message)),
    [nodeId, problems],
  );
  const nodeMessages = messages.get("") ?? [];
  if (!node) return null;
  const entry = nodeCatalog[node.kind];
  const root = node.kind === "http" ? httpFormSchema() : nodeDataFormSchema(node.kind);
  return (
    <div className="inspector" data-testid="inspector">
      <div className="row">
        <NodeIcon name={entry.icon} />
        <b>{entry.label}</b>
      </div>
      <p className="muted">{entry.description}</p>
      {nodeMessages.length > 0 && (
        <div className={nodeMessages.every((m) => hints.has(m)) ? "banner hint" : "banner error"}>
          {nodeMessages.map((m) => (
            <div key={m}>{m}</div>
          ))}
        </div>
      )}
      <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0 }}>
        <label htmlFor={`inspector-label-${node.id}`}>Title</label>
        <div className="field-help">Shown on the canvas and in problems; name the step in your words.</div>
        <TextField.Root
          id={`inspector-label-${node.id}`}
          value={node.label ?? ""}
          onChange={(event) => onChange({ label: event.target.value }, `${node.id}:label`)}
        />
        {node.kind === "condition" ? (
          <ConditionEditor
            data={node.data as ConditionNodeData}
            onChange={(data) => onChange({ data }, `${node.id}:data`)}
            suggestions={suggestions}
            messages={messages}
            idPrefix={`inspector-${node.id}`}
            onDeclare={(name) =>
              onChange({ data: node.data }, `${node.id}:data`, {
                name,
                type: "string",
                scope: "conversation",
              })
            }
          />
        ) : (
          <SchemaField
            schema={root}
            value={node.data}
            onChange={changeData}
            path=""
            label="Settings"
            context={{
              root,
              kind: node.kind,
              nodeId: node.id,
              doc,
              botId,
              declare: (variable) => {
                declared.current = variable;
              },
              messages,
              hints,
              suggestions,
              idPrefix: `inspector-${node.id}`,
            }}
          />
        )}
        {node.kind === "http" && (
          <ConnectorOperationPicker
            data={node.data as HttpNodeData}
            onChange={(data) => onChange({ data }, `${node.id}:data`)}
            suggestions={suggestions}
            messages={messages}
            idPrefix={`inspector-${node.id}`}
          />
        )}
      </fieldset>
      {node.kind === "http" && <HttpTestRequest doc={doc} data={node.data as HttpNodeData} />}
    </div>
  );
}
