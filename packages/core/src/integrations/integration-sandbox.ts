import { type IntegrationTestResult, integrationTestInputSchema } from "@parley/contract";
import { evaluateExpression, type HttpRequest } from "@parley/engine";
import { renderTemplate } from "@parley/flow-schema";
import type { z } from "zod";
import { authorize, type ServiceContext } from "../context";
import { parseInput } from "../errors";
import { type SentRequest, sendIntegrationRequest } from "./integration-http";
import { loadIntegrationByRef } from "./integrations";
import { secretRedactor } from "./secret-redaction";

/** The sandbox gives up after this long (retries included). */
const SANDBOX_TIMEOUT_MS = 30_000;

const jsonEscape = (text: string) => JSON.stringify(text).slice(1, -1);

function parseBody(headers: Record<string, string>, body: string): unknown {
  const type = Object.entries(headers).find(([name]) => name.toLowerCase() === "content-type")?.[1] ?? "";
  if (!type.includes("json") && !/^\s*[[{]/.test(body)) return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

function graphqlErrors(body: unknown): string[] {
  const errors = (body as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors)
    ? errors.map((error) => String((error as { message?: unknown })?.message ?? JSON.stringify(error)))
    : [];
}

/** The request built from the sandbox input, the templates rendered from the sample variables. */
async function buildRequest(
  input: z.infer<typeof integrationTestInputSchema>,
  integrationId: string,
): Promise<HttpRequest> {
  const scope = input.variables;
  let url = renderTemplate(input.path, scope, { escape: encodeURIComponent });
  const query = Object.entries(input.query)
    .map(
      ([name, template]) =>
        `${encodeURIComponent(name)}=${encodeURIComponent(renderTemplate(template, scope))}`,
    )
    .join("&");
  if (query) url = `${url}${url.includes("?") ? "&" : "?"}${query}`;
  const headers: Record<string, string> = {};
  for (const [name, template] of Object.entries(input.headers))
    headers[name] = renderTemplate(template, scope);
  let body: string | undefined;
  if (input.graphql) {
    const variables = input.graphql.variables
      ? await evaluateExpression(input.graphql.variables, scope)
      : undefined;
    body = JSON.stringify({ query: input.graphql.query, ...(variables === undefined ? {} : { variables }) });
  } else if (input.body !== undefined) {
    body = renderTemplate(input.body, scope, { escape: jsonEscape });
    JSON.parse(body);
  }
  if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) {
    headers["content-type"] = "application/json";
  }
  // A connector operation: core builds its documented request from the rendered inputs, as for a node.
  const inputs = input.operation
    ? Object.fromEntries(
        Object.entries(input.inputs ?? {}).map(([name, template]) => [name, renderTemplate(template, scope)]),
      )
    : undefined;
  return {
    method: input.graphql ? "POST" : input.method,
    url,
    headers,
    ...(body === undefined ? {} : { body }),
    integrationId,
    ...(input.operation ? { operation: input.operation, inputs } : {}),
  };
}

/**
 * Runs one request through an integration with sample variables, exactly as an http node would
 * (base URL, credentials, retries, breaker), touching no conversation, and returns the request as
 * sent with every credential masked, the response (secrets redacted), timing and what the
 * response mappings give. `integrationId` is the integration's id or name (as an http node names
 * it). A failure is part of the result (`error`), as the node's
 * `sys.lastError` would say it. Needs `integrations:manage`.
 */
export async function testIntegration(
  ctx: ServiceContext,
  integrationId: string,
  input: z.input<typeof integrationTestInputSchema>,
): Promise<IntegrationTestResult> {
  authorize(ctx, "integrations:manage");
  const data = parseInput(integrationTestInputSchema, input, "integration test");
  const row = await loadIntegrationByRef(ctx, integrationId);
  const started = performance.now();
  let sent: SentRequest | undefined;
  let request: HttpRequest;
  try {
    request = await buildRequest(data, row.id);
  } catch (error) {
    return {
      request: { method: data.method, url: data.path, headers: {} },
      response: null,
      error: `could not build the request: ${(error as Error).message}`,
      mocked: false,
      timing: { totalMs: 0, attempts: 0 },
      mapping: {},
    };
  }
  const result: IntegrationTestResult = {
    request: { method: request.method, url: request.url, headers: request.headers },
    response: null,
    mocked: false,
    timing: { totalMs: 0, attempts: 0 },
    mapping: {},
  };
  try {
    const response = await sendIntegrationRequest(
      ctx.deps,
      ctx.tenantId,
      request,
      AbortSignal.timeout(SANDBOX_TIMEOUT_MS),
      {
        mode: data.useMock ? "test" : "live",
        capture: (value) => {
          sent = value;
        },
      },
    );
    result.mocked = response.mocked === true;
    result.timing.attempts = response.attempts;
    const document = {
      status: response.status,
      headers: response.headers,
      body: parseBody(response.headers, response.body),
    };
    result.response = document;
    const errors = data.graphql ? graphqlErrors(document.body) : [];
    if (errors.length > 0) result.error = `GraphQL error: ${errors.join("; ")}`;
    else if (response.status < 200 || response.status > 299) result.error = `HTTP ${response.status}`;
    else {
      for (const mapping of data.responseMapping) {
        try {
          result.mapping[mapping.variable] = await evaluateExpression(mapping.expression, document);
        } catch (error) {
          result.error = `mapping to ${mapping.variable} failed: ${(error as Error).message}`;
          break;
        }
      }
    }
  } catch (error) {
    result.error = `${request.method} request failed: ${(error as Error).message}`;
  }
  result.timing.totalMs = Math.round((performance.now() - started) * 100) / 100;
  if (sent) {
    const mask = secretRedactor(sent.secrets);
    result.request = {
      method: sent.method,
      url: mask(sent.url),
      headers: Object.fromEntries(Object.entries(sent.headers).map(([name, value]) => [name, mask(value)])),
      ...(sent.body === undefined ? {} : { body: mask(sent.body) }),
    };
  } else if (request.body !== undefined) {
    result.request.body = request.body;
  }
  return result;
}
