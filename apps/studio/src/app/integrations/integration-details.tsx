"use client";

import { type IntegrationView, integrationTestInputSchema } from "@parley/contract";
import { Box, Button, Card, Flex, Grid, Heading, Text } from "@radix-ui/themes";
import { useMutation, useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { useTRPC } from "../../client/trpc";
import { FormProblems } from "../../components/field";
import { FormError } from "../../components/form-error";
import { CheckboxField, SelectFormField } from "../../components/ui/form-controls";
import {
  applyServerErrorsAt,
  TextAreaFormField,
  TextFormField,
  useZodForm,
} from "../../components/ui/form-field";

const format = (ms: number | null) => (ms === null ? "–" : `${Math.round(ms)} ms`);

/** Usage (volume, error rate, p50/p95, breaker, where it is used) of one integration. */
export function IntegrationUsagePanel({ integration }: { integration: IntegrationView }) {
  const trpc = useTRPC();
  const usage = useQuery(trpc.integrations.usage.queryOptions({ integrationId: integration.id }));
  if (usage.error) return <FormError error={usage.error} />;
  const data = usage.data;
  if (!data)
    return (
      <Text as="p" color="gray" size="2">
        Loading usage…
      </Text>
    );
  return (
    <section aria-label="Usage" data-testid="integration-usage">
      <Heading as="h3" size="3" mt="3">
        Last 7 days
      </Heading>
      <Flex gap="4" wrap="wrap" my="2" asChild>
        <Text as="p" size="2">
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
        </Text>
      </Flex>
      <Heading as="h3" size="3" mt="3">
        Used by
      </Heading>
      {data.usedBy.length === 0 ? (
        <Text as="p" color="gray" size="2">
          No flow uses this integration yet.
        </Text>
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

/** A JSON object typed as text, read into the object. */
const jsonObjectText = (message: string) =>
  z.string().transform((text, ctx) => {
    try {
      const value = JSON.parse(text.trim() || "{}") as unknown;
      if (typeof value === "object" && value !== null && !Array.isArray(value))
        return value as Record<string, unknown>;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: "custom", message });
    return z.NEVER;
  });

/** The sandbox form: the contract's test request, with the variables and mappings typed as text. */
const testForm = z.object({
  method: integrationTestInputSchema.shape.method.unwrap(),
  path: integrationTestInputSchema.shape.path.unwrap(),
  body: z.string(),
  variables: jsonObjectText("Sample variables must be a JSON object."),
  mapping: z.string(),
  useMock: z.boolean(),
});

/** "status = body.status" lines as response mappings. */
function mappingsOf(text: string) {
  return text
    .split("\n")
    .map((line) => line.split("="))
    .filter((parts) => parts.length >= 2 && parts[0]?.trim())
    .map(([variable, ...expression]) => ({
      variable: (variable ?? "").trim(),
      expression: expression.join("=").trim(),
    }));
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
  initial?: { method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"; path?: string; body?: string };
}) {
  const trpc = useTRPC();
  const form = useZodForm(testForm, {
    mode: "onSubmit",
    defaultValues: {
      method: initial?.method ?? "GET",
      path: initial?.path ?? "/",
      body: initial?.body ?? "",
      variables: "{}",
      mapping: "",
      useMock: false,
    },
  });
  const test = useMutation(
    trpc.integrations.test.mutationOptions({
      onError: (error) =>
        applyServerErrorsAt(form, error, (path) => (path === "request.path" ? "path" : undefined)),
    }),
  );
  const id = `test-${integrationId}`;
  const method = form.watch("method");
  return (
    <Card size="2" my="3" asChild>
      <form
        aria-label="Test request"
        noValidate
        onSubmit={form.handleSubmit((values) =>
          test.mutate({
            integrationId,
            request: {
              method: values.method,
              path: values.path,
              variables: values.variables,
              responseMapping: mappingsOf(values.mapping),
              useMock: values.useMock,
              ...(values.body.trim() && values.method !== "GET" ? { body: values.body } : {}),
            },
          }),
        )}
      >
        <Heading as="h3" size="3">
          Test request
        </Heading>
        <Grid columns={{ initial: "1", sm: "160px 1fr" }} gapX="4">
          <SelectFormField
            form={form}
            name="method"
            id={`${id}-method`}
            label="Method"
            options={["GET", "POST", "PUT", "PATCH", "DELETE"]}
          />
          <TextFormField form={form} name="path" id={`${id}-path`} label="Path" />
        </Grid>
        <Grid columns={{ initial: "1", sm: "2" }} gapX="4">
          <TextAreaFormField
            form={form}
            name="variables"
            id={`${id}-variables`}
            label="Sample variables (JSON)"
            rows={2}
          />
          <TextAreaFormField
            form={form}
            name="mapping"
            id={`${id}-mapping`}
            label="Mappings (variable = JSONata, one a line)"
            rows={2}
            placeholder="status = body.status"
          />
        </Grid>
        {method !== "GET" && (
          <TextAreaFormField
            form={form}
            name="body"
            id={`${id}-body`}
            label="Body (JSON template)"
            rows={2}
          />
        )}
        <CheckboxField form={form} name="useMock">
          Use the mock
        </CheckboxField>
        <FormProblems error={test.error} shown={["request.path"]} />
        <Flex mt="3">
          <Button variant="soft" color="gray" type="submit" disabled={test.isPending}>
            {test.isPending ? "Sending…" : "Send test request"}
          </Button>
        </Flex>
        {test.data && (
          <Box data-testid="test-result" mt="3">
            {test.data.error ? (
              <Text as="p" color="red" role="alert" size="2">
                {test.data.error}
              </Text>
            ) : (
              <Text as="p" role="status" size="2">
                {test.data.mocked ? "Mocked" : `HTTP ${test.data.response?.status}`} in{" "}
                {test.data.timing.totalMs} ms ({test.data.timing.attempts} attempt
                {test.data.timing.attempts === 1 ? "" : "s"})
              </Text>
            )}
            <Heading as="h4" size="2" mt="3">
              Request sent (credentials masked)
            </Heading>
            <pre data-testid="test-request">{JSON.stringify(test.data.request, null, 2)}</pre>
            <Heading as="h4" size="2" mt="3">
              Response
            </Heading>
            <pre data-testid="test-response">{JSON.stringify(test.data.response, null, 2)}</pre>
            <Heading as="h4" size="2" mt="3">
              Mapping result
            </Heading>
            <pre data-testid="test-mapping">{JSON.stringify(test.data.mapping, null, 2)}</pre>
          </Box>
        )}
      </form>
    </Card>
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
