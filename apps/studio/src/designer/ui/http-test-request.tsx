"use client";

import type { FlowDocument, HttpNodeData } from "@parley/flow-schema";
import { TextArea } from "@radix-ui/themes";
import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../../components/form-error";

/** The flow's variables with their defaults (empty text without one): the sample values of a test request. */
function sampleVariables(doc: FlowDocument): Record<string, unknown> {
  const sample: Record<string, unknown> = {};
  for (const variable of doc.variables ?? []) {
    const { name, default: value } = variable as { name: string; default?: unknown };
    sample[name] = value ?? "";
  }
  return sample;
}

/**
 * "Test request" for an http node that uses an integration: runs the node's request through the
 * integration sandbox with the variables' defaults as samples, and shows the request as sent
 * (credentials masked), the response, timing and what the mappings give.
 */
export function HttpTestRequest({ doc, data }: { doc: FlowDocument; data: HttpNodeData }) {
  const trpc = useTRPC();
  const test = useMutation(trpc.integrations.test.mutationOptions());
  const variablesId = useId();
  const [samples, setSamples] = useState<string | null>(null);
  const [samplesError, setSamplesError] = useState<string | null>(null);
  if (!data.integrationId) return null;
  const samplesText = samples ?? JSON.stringify(sampleVariables(doc), null, 2);
  const integrationId = data.integrationId;
  const body = data.body?.type === "template" ? data.body.template : undefined;
  return (
    <div className="card" data-testid="http-test-request">
      <label htmlFor={variablesId}>Sample variables (JSON)</label>
      <TextArea
        id={variablesId}
        data-testid="http-test-variables"
        rows={3}
        value={samplesText}
        aria-invalid={samplesError ? true : undefined}
        onChange={(event) => setSamples(event.target.value)}
      />
      {samplesError && (
        <div className="field-error" role="alert">
          {samplesError}
        </div>
      )}
      <button
        type="button"
        disabled={test.isPending}
        onClick={() => {
          let variables: Record<string, unknown>;
          try {
            variables = JSON.parse(samplesText) as Record<string, unknown>;
            setSamplesError(null);
          } catch (error) {
            setSamplesError(`not JSON: ${(error as Error).message}`);
            return;
          }
          test.mutate({
            integrationId,
            request: {
              method: data.method,
              path: data.url,
              headers: data.headers,
              query: data.query,
              ...(body !== undefined ? { body } : {}),
              ...(data.graphql
                ? {
                    graphql: {
                      query: data.graphql.query,
                      ...(data.graphql.variables ? { variables: data.graphql.variables } : {}),
                    },
                  }
                : {}),
              ...(data.operation ? { operation: data.operation, inputs: data.inputs ?? {} } : {}),
              variables,
              responseMapping: data.responseMapping,
            },
          });
        }}
      >
        Test request
      </button>
      <FormError error={test.error} />
      {test.data && (
        <div data-testid="http-test-result">
          <p role="status">
            {test.data.error ?? `HTTP ${test.data.response?.status}`} · {test.data.timing.totalMs} ms
          </p>
          <h4>Request (credentials masked)</h4>
          <pre data-testid="http-test-sent">{JSON.stringify(test.data.request, null, 2)}</pre>
          <h4>Response</h4>
          <pre data-testid="http-test-response">{JSON.stringify(test.data.response, null, 2)}</pre>
          <h4>Mapping</h4>
          <pre data-testid="http-test-mapping">{JSON.stringify(test.data.mapping, null, 2)}</pre>
        </div>
      )}
    </div>
  );
}
