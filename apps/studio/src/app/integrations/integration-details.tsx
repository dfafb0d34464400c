"use client";

import type { IntegrationView } from "@parley/contract";
import { Button } from "@radix-ui/themes";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { Field, FormProblems, InputField, invalidProps, issuesOf } from "../../components/field";
import { FormError } from "../../components/form-error";
import { SimpleSelect } from "../../components/ui/simple-select";

const format = (ms: number | null) => (ms === null ? "–" : `${Math.round(ms)} ms`);

/** Usage (volume, error rate, p50/p95, breaker, where it is used) of one integration. */
export function IntegrationUsagePanel({ integration }: { integration: IntegrationView }) {
  const trpc = useTRPC();
  const usage = useQuery(trpc.integrations.usage.queryOptions({ integrationId: integration.id }));
  if (usage.error) return <FormError error={usage.error} />;
  const data = usage.data;
  if (!data) return <p className="muted">Loading usage…</p>;
  return (
    <section aria-label="Usage" data-testid="integration-usage">
      <h3>Last 7 days</h3>
      <p className="row wrap">
        <span>
          Calls <b data-testid="usage-calls">{data.calls}</b>
        </span>
        <span>
          Error rate <b data-testid="usage-error-rate">{(data.errorRate * 100).toFixed(1)}%</b>
        </span>
        <span>
          p50 <b>{format(data.p50Ms)}</b>
        </span>
        <span>
          p95 <b>{format(data.p95Ms)}</b>
        </span>
        <span title="Each runtime process counts failures; an opened breaker is shared by all of them (shared cache), so every process fails fast until it half-opens.">
          Circuit breaker (all runtime processes) <b data-testid="usage-breaker">{data.breaker}</b>
        </span>
      </p>
      <h3>Used by</h3>
      {data.usedBy.length === 0 ? (
        <p className="muted">No flow uses this integration yet.</p>
      ) : (
        <ul>
          {data.usedBy.map((use) => (
            <li key={use.flowId}>
              <a href={`/bots/${use.botId}/flows/${use.flowId}`}>{use.flowName}</a>: nodes{" "}
              {use.nodeIds.join(", ")}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * The sandbox: one request through the integration with sample variables; shows the request as
 * sent (credentials masked), the response, timing and the mapping result.
 */
export function IntegrationTestForm({
  integrationId,
  initial,
}: {
  integrationId: string;
  initial?: { method?: string; path?: string; body?: string };
}) {
  const trpc = useTRPC();
  const [method, setMethod] = useState(initial?.method ?? "GET");
  const [path, setPath] = useState(initial?.path ?? "/");
  const [body, setBody] = useState(initial?.body ?? "");
  const [variables, setVariables] = useState("{}");
  const [mapping, setMapping] = useState("");
  const [useMock, setUseMock] = useState(false);
  const [variablesError, setVariablesError] = useState<string | undefined>();
  const test = useMutation(trpc.integrations.test.mutationOptions());
  const errors = issuesOf(test.error);
  const id = `test-${integrationId}`;
  return (
    <form
      className="card"
      aria-label="Test request"
      onSubmit={(event) => {
        event.preventDefault();
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(variables || "{}");
          setVariablesError(undefined);
        } catch {
          setVariablesError("Sample variables must be a JSON object.");
          return;
        }
        const responseMapping = mapping
          .split("\n")
          .map((line) => line.split("="))
          .filter((parts) => parts.length >= 2 && parts[0]?.trim())
          .map(([variable, ...expression]) => ({
            variable: (variable ?? "").trim(),
            expression: expression.join("=").trim(),
          }));
        test.mutate({
          integrationId,
          request: {
            method: method as "GET",
            path,
            variables: parsed,
            responseMapping,
            useMock,
            ...(body.trim() && method !== "GET" ? { body } : {}),
          },
        });
      }}
    >
      <div className="row wrap" style={{ alignItems: "flex-start" }}>
        <Field id={`${id}-method`} label="Method">
          <SimpleSelect
            id={`${id}-method`}
            value={method}
            onValueChange={setMethod}
            options={["GET", "POST", "PUT", "PATCH", "DELETE"]}
          />
        </Field>
        <InputField
          id={`${id}-path`}
          label="Path"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          error={errors["request.path"]}
        />
        <Field id={`${id}-variables`} label="Sample variables (JSON)" error={variablesError}>
          <textarea
            id={`${id}-variables`}
            rows={2}
            value={variables}
            onChange={(e) => setVariables(e.target.value)}
            {...invalidProps(`${id}-variables`, variablesError)}
          />
        </Field>
        {method !== "GET" && (
          <Field id={`${id}-body`} label="Body (JSON template)">
            <textarea id={`${id}-body`} rows={2} value={body} onChange={(e) => setBody(e.target.value)} />
          </Field>
        )}
        <Field id={`${id}-mapping`} label="Mappings (variable = JSONata, one a line)">
          <textarea
            id={`${id}-mapping`}
            rows={2}
            value={mapping}
            onChange={(e) => setMapping(e.target.value)}
            placeholder="status = body.status"
          />
        </Field>
        <label className="row" style={{ fontWeight: 400 }}>
          <input type="checkbox" checked={useMock} onChange={(e) => setUseMock(e.target.checked)} /> Use the
          mock
        </label>
      </div>
      <FormProblems error={test.error} shown={["request.path"]} />
      <Button variant="soft" color="gray" type="submit" disabled={test.isPending}>
        Send test request
      </Button>
      {test.data && (
        <div data-testid="test-result" style={{ marginTop: 10 }}>
          {test.data.error ? (
            <p className="field-error" role="alert">
              {test.data.error}
            </p>
          ) : (
            <p role="status">
              {test.data.mocked ? "Mocked" : `HTTP ${test.data.response?.status}`} in{" "}
              {test.data.timing.totalMs} ms ({test.data.timing.attempts} attempt
              {test.data.timing.attempts === 1 ? "" : "s"})
            </p>
          )}
          <h4>Request sent (credentials masked)</h4>
          <pre data-testid="test-request">{JSON.stringify(test.data.request, null, 2)}</pre>
          <h4>Response</h4>
          <pre data-testid="test-response">{JSON.stringify(test.data.response, null, 2)}</pre>
          <h4>Mapping result</h4>
          <pre data-testid="test-mapping">{JSON.stringify(test.data.mapping, null, 2)}</pre>
        </div>
      )}
    </form>
  );
}

/** "Connect" / "Reconnect" for an OAuth2 authorization-code integration. */
export function ConnectButton({ integration }: { integration: IntegrationView }) {
  const trpc = useTRPC();
  const connect = useMutation(
    trpc.integrations.connect.mutationOptions({
      onSuccess: ({ authorizeUrl }) => {
        window.location.assign(authorizeUrl);
      },
    }),
  );
  if (integration.credentials?.type !== "oauth2-authorization-code") return null;
  const status = integration.credentials.status;
  return (
    <>
      <Button
        size="1"
        variant="soft"
        color="gray"
        type="button"
        disabled={connect.isPending}
        onClick={() =>
          connect.mutate({
            integrationId: integration.id,
            redirectUri: `${window.location.origin}/integrations/oauth/callback`,
          })
        }
      >
        {status === "not-connected" ? "Connect" : "Reconnect"}
      </Button>
      <FormError error={connect.error} />
    </>
  );
}
