"use client";

import type { HttpNodeData } from "@parley/flow-schema";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { SimpleSelect } from "../../components/ui/simple-select";
import type { VariableSuggestion } from "../core/autocomplete";
import { TemplateInput } from "./template-input";

/**
 * The http node's connector operation picker: choose a catalogue connector's operation (the node's
 * integration must be created from that connector) and fill its inputs with templates; then the
 * node's method and URL are not used. "None" goes back to a plain HTTP request.
 */
export function ConnectorOperationPicker({
  data,
  onChange,
  suggestions,
  idPrefix,
  messages,
}: {
  data: HttpNodeData;
  onChange: (data: HttpNodeData) => void;
  suggestions: readonly VariableSuggestion[];
  idPrefix: string;
  messages: ReadonlyMap<string, readonly string[]>;
}) {
  const trpc = useTRPC();
  const connectors = useQuery(trpc.connectors.list.queryOptions({}));
  // Listing integrations needs integrations:manage; without it the generic "integration" field stays.
  const integrations = useQuery({ ...trpc.integrations.list.queryOptions(), retry: false });
  const owner = connectors.data?.find((connector) =>
    connector.operations.some((operation) => operation.id === data.operation),
  );
  const [connectorId, setConnectorId] = useState<string>("");
  const chosenId = connectorId || owner?.id || "";
  const connector = connectors.data?.find((candidate) => candidate.id === chosenId);
  const operation = connector?.operations.find((candidate) => candidate.id === data.operation);
  const id = (part: string) => `${idPrefix}-connector-${part}`;
  const problem = [...(messages.get("operation") ?? []), ...(messages.get("integrationId") ?? [])];
  const withoutOperation = () => {
    const { operation: _operation, inputs: _inputs, ...rest } = data;
    return rest as HttpNodeData;
  };
  return (
    <fieldset className="connector-picker" style={{ border: 0, padding: 0, margin: "12px 0 0" }}>
      <legend>
        <b>Connector operation</b>
      </legend>
      <label htmlFor={id("connector")}>Connector</label>
      <SimpleSelect
        id={id("connector")}
        value={chosenId}
        style={{ width: "100%" }}
        onValueChange={(next) => {
          setConnectorId(next);
          if (!next) onChange(withoutOperation());
        }}
        options={[
          { value: "", label: "None (plain HTTP request)" },
          ...(connectors.data ?? []).map((candidate) => ({ value: candidate.id, label: candidate.name })),
        ]}
      />
      {connector && (
        <>
          {integrations.data && (
            <>
              <label htmlFor={id("integration")}>Integration</label>
              <SimpleSelect
                id={id("integration")}
                value={data.integrationId ?? ""}
                style={{ width: "100%" }}
                onValueChange={(next) =>
                  onChange({
                    ...data,
                    ...(next ? { integrationId: next } : {}),
                  })
                }
                options={[
                  { value: "", label: "Choose…" },
                  ...integrations.data
                    .filter((integration) => integration.config.connector === connector.id)
                    .map((integration) => ({ value: integration.name, label: integration.name })),
                ]}
              />
              {!integrations.data.some((integration) => integration.config.connector === connector.id) && (
                <div className="field-hint">
                  No {connector.name} integration yet:{" "}
                  <a href="/integrations/catalogue" target="_blank" rel="noreferrer">
                    add one from the catalogue
                  </a>
                  .
                </div>
              )}
            </>
          )}
          <label htmlFor={id("operation")}>Operation</label>
          <SimpleSelect
            id={id("operation")}
            value={data.operation ?? ""}
            style={{ width: "100%" }}
            aria-invalid={problem.length > 0 ? true : undefined}
            aria-describedby={problem.length > 0 ? id("operation-error") : undefined}
            onValueChange={(next) =>
              onChange(next ? { ...data, operation: next, inputs: {} } : withoutOperation())
            }
            options={[
              { value: "", label: "Choose…" },
              ...connector.operations.map((candidate) => ({ value: candidate.id, label: candidate.name })),
            ]}
          />
          {problem.length > 0 && (
            <div className="field-error" id={id("operation-error")} role="alert">
              {problem.join(" ")}
            </div>
          )}
          {operation && (
            <>
              <p className="muted">
                {operation.description}{" "}
                <a href={operation.docsUrl} target="_blank" rel="noreferrer">
                  docs
                </a>
                . The integration must be created from {connector.name}; the response body is the operation's
                result (map it with <code>body.…</code>).
              </p>
              {operation.inputs.map((input) => {
                const inputProblem = messages.get(`inputs.${input.name}`);
                return (
                  <div key={input.name} className="field">
                    <label htmlFor={id(`input-${input.name}`)}>
                      {input.label}
                      {input.required && !input.default ? " *" : ""}
                    </label>
                    <TemplateInput
                      id={id(`input-${input.name}`)}
                      value={data.inputs?.[input.name] ?? ""}
                      onChange={(value) =>
                        onChange({ ...data, inputs: { ...data.inputs, [input.name]: value } })
                      }
                      suggestions={suggestions}
                      multiline={input.type === "json"}
                      invalid={Boolean(inputProblem)}
                    />
                    {inputProblem ? (
                      <div className="field-error" role="alert">
                        {inputProblem.join(" ")}
                      </div>
                    ) : (
                      <div className="field-hint">
                        {[input.type, input.default ? `default ${input.default}` : "", input.help ?? ""]
                          .filter(Boolean)
                          .join(" · ")}
                      </div>
                    )}
                  </div>
                );
              })}
            </>
          )}
        </>
      )}
    </fieldset>
  );
}
