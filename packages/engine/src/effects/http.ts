import type { ActorInputs } from "../compile/params";
import { evaluateExpression } from "../expressions/jsonata";
import { render, scopeOf } from "../interpret/context";
import type { TurnSession } from "../interpret/session";
import type { HttpRequest, HttpResponse } from "../ports/http";
import { callPort, MissingPortError } from "./call-port";
import { describeError, type EffectOutput, failure } from "./output";

type HttpInput = ActorInputs["httpRequest"];

const jsonEscape = (text: string) => JSON.stringify(text).slice(1, -1);

function buildUrl(input: HttpInput, session: TurnSession): string {
  const context = session.currentContext();
  // Substituted values are encoded as URL components, so a value cannot add path segments or a query.
  const url = render(input.url, context, encodeURIComponent);
  const query = Object.entries(input.query)
    .map(([name, template]) => `${encodeURIComponent(name)}=${encodeURIComponent(render(template, context))}`)
    .join("&");
  if (!query) return url;
  return `${url}${url.includes("?") ? "&" : "?"}${query}`;
}

async function buildBody(
  input: HttpInput,
  session: TurnSession,
): Promise<{ body?: string; contentType?: string }> {
  const { body, graphql } = input;
  const context = session.currentContext();
  if (graphql) {
    const variables = graphql.variables
      ? await evaluateExpression(graphql.variables, scopeOf(context), session.options.expressionBudget)
      : undefined;
    return {
      body: JSON.stringify({
        query: graphql.query,
        ...(variables === undefined ? {} : { variables }),
        ...(graphql.operationName ? { operationName: graphql.operationName } : {}),
      }),
      contentType: "application/json",
    };
  }
  if (!body) return {};
  if (body.type === "expression") {
    const value = await evaluateExpression(
      body.expression,
      scopeOf(context),
      session.options.expressionBudget,
    );
    return { body: JSON.stringify(value ?? null), contentType: "application/json" };
  }
  switch (body.contentType) {
    case "json": {
      const text = render(body.template, context, jsonEscape);
      JSON.parse(text); // A template that does not render to JSON fails the call, not the server.
      return { body: text, contentType: "application/json" };
    }
    case "form":
      return {
        body: render(body.template, context, encodeURIComponent),
        contentType: "application/x-www-form-urlencoded",
      };
    case "text":
      return { body: render(body.template, context), contentType: "text/plain; charset=utf-8" };
  }
}

/** A connector operation's inputs rendered as text (the runtime converts them to the declared types). */
function renderInputs(input: HttpInput, session: TurnSession): Record<string, string> {
  const context = session.currentContext();
  const rendered: Record<string, string> = {};
  for (const [name, template] of Object.entries(input.inputs ?? {}))
    rendered[name] = render(template, context);
  return rendered;
}

function parseResponseBody(response: HttpResponse): unknown {
  const contentType = Object.entries(response.headers).find(
    ([name]) => name.toLowerCase() === "content-type",
  )?.[1];
  const looksJson = contentType?.includes("json") || /^\s*[[{]/.test(response.body);
  if (!looksJson) return response.body;
  try {
    return JSON.parse(response.body) as unknown;
  } catch {
    return response.body;
  }
}

/** The messages of a GraphQL response's `errors` (none when it has no errors). */
function graphqlErrors(body: unknown): string[] {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return [];
  return errors.map((error) =>
    typeof (error as { message?: unknown })?.message === "string"
      ? (error as { message: string }).message
      : JSON.stringify(error),
  );
}

/**
 * http node: renders the request (URL with encoded placeholders and query, headers, body),
 * calls the http port under the node's timeout, and on 2xx applies the JSONata response
 * mappings to `{ status, headers, body }`. Any failure resolves with the `error` handle and the
 * reason in `sys.lastError`; the trace records method and status only (URLs may hold secrets).
 * With `graphql` the request is a JSON POST of `{ query, variables }` and a response carrying
 * GraphQL `errors` takes the error branch with their messages.
 */
export async function httpRequest(
  session: TurnSession,
  input: HttpInput,
  signal: AbortSignal,
): Promise<EffectOutput> {
  const port = session.ports.http;
  let request: HttpRequest;
  try {
    const { body, contentType } = await buildBody(input, session);
    const context = session.currentContext();
    const headers: Record<string, string> = {};
    for (const [name, template] of Object.entries(input.headers)) headers[name] = render(template, context);
    if (contentType && !Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) {
      headers["content-type"] = contentType;
    }
    if (input.graphql && !Object.keys(headers).some((name) => name.toLowerCase() === "accept")) {
      headers.accept = "application/graphql-response+json, application/json";
    }
    request = {
      method: input.graphql ? "POST" : input.method,
      url: input.operation && !input.url ? "/" : buildUrl(input, session),
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(input.integrationId ? { integrationId: input.integrationId } : {}),
      ...(input.operation ? { operation: input.operation, inputs: renderInputs(input, session) } : {}),
    };
  } catch (error) {
    return failure("error", `could not build the request: ${describeError(error)}`);
  }

  let response: HttpResponse;
  try {
    if (!port) throw new MissingPortError("http");
    response = await callPort(
      session,
      {
        nodeId: input.node,
        kind: "http",
        timeoutMs: input.timeoutMs,
        signal,
        describe: (result) => `${request.method} ${result.status}`,
      },
      (portSignal) => port.request(request, { signal: portSignal }),
    );
  } catch (error) {
    return failure("error", `${request.method} request failed: ${describeError(error)}`);
  }

  const vars: Record<string, unknown> = {};
  if (input.saveStatusTo) vars[input.saveStatusTo] = response.status;
  if (response.status < 200 || response.status > 299) {
    const errors = input.graphql ? graphqlErrors(parseResponseBody(response)) : [];
    const reason = errors.length > 0 ? `HTTP ${response.status}: GraphQL error: ${errors.join("; ")}` : "";
    return { ...failure("error", reason || `HTTP ${response.status}`), vars };
  }
  const document = { status: response.status, headers: response.headers, body: parseResponseBody(response) };
  if (input.graphql) {
    const errors = graphqlErrors(document.body);
    if (errors.length > 0) return { ...failure("error", `GraphQL error: ${errors.join("; ")}`), vars };
  }
  for (const mapping of input.responseMapping) {
    try {
      vars[mapping.variable] = await evaluateExpression(
        mapping.expression,
        document,
        session.options.expressionBudget,
      );
    } catch (error) {
      return { ...failure("error", `mapping to ${mapping.variable} failed: ${describeError(error)}`), vars };
    }
  }
  return { handle: "success", vars };
}
