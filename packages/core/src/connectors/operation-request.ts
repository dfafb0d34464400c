import type { ConnectorDefinition, ConnectorInput, ConnectorOperation } from "@parley/contract";
import { evaluateExpression, type HttpRequest, type HttpResponse } from "@parley/engine";

/** Why a connector operation could not be turned into a request (the node takes its error branch). */
export class ConnectorOperationError extends Error {
  override readonly name = "ConnectorOperationError";
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** An input's text (rendered by the flow) as the value its declared type asks for. */
function typedValue(input: ConnectorInput, text: string): unknown {
  switch (input.type) {
    case "string":
      return text;
    case "email":
      if (!EMAIL.test(text.trim()))
        throw new ConnectorOperationError(`the input "${input.name}" is not an e-mail address`);
      return text.trim();
    case "number": {
      const value = Number(text.trim());
      if (text.trim() === "" || !Number.isFinite(value)) {
        throw new ConnectorOperationError(`the input "${input.name}" is not a number`);
      }
      return value;
    }
    case "boolean": {
      const normalized = text.trim().toLowerCase();
      if (["true", "1", "yes"].includes(normalized)) return true;
      if (["false", "0", "no"].includes(normalized)) return false;
      throw new ConnectorOperationError(`the input "${input.name}" is not true or false`);
    }
    case "json":
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new ConnectorOperationError(`the input "${input.name}" is not JSON`);
      }
  }
}

/** The operation's input values by name (defaults applied, types converted, required checked). */
function inputValues(operation: ConnectorOperation, given: Record<string, string>): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const name of Object.keys(given)) {
    if (!operation.inputs.some((input) => input.name === name)) {
      throw new ConnectorOperationError(`the operation "${operation.id}" has no input "${name}"`);
    }
  }
  for (const input of operation.inputs) {
    const text = given[input.name];
    const chosen = text !== undefined && text !== "" ? text : input.default;
    if (chosen === undefined) {
      if (input.required) throw new ConnectorOperationError(`the input "${input.name}" is required`);
      continue;
    }
    values.set(input.name, typedValue(input, chosen));
  }
  return values;
}

const asText = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

/**
 * `application/x-www-form-urlencoded` as Stripe and Twilio read it: nested objects and arrays as
 * bracketed keys (`metadata[order]=1`, `items[0][price]=...`); null and undefined left out.
 */
export function formEncode(value: Record<string, unknown>): string {
  const params = new URLSearchParams();
  const add = (key: string, item: unknown) => {
    if (item === undefined || item === null) return;
    if (Array.isArray(item)) {
      for (const [index, entry] of item.entries()) add(`${key}[${index}]`, entry);
    } else if (typeof item === "object") {
      for (const [name, entry] of Object.entries(item)) add(`${key}[${name}]`, entry);
    } else params.append(key, String(item));
  };
  for (const [name, item] of Object.entries(value)) add(name, item);
  return params.toString();
}

/** A request an operation resolved to, and the operation (its response mapping applies after). */
export interface ResolvedOperation {
  operation: ConnectorOperation;
  request: HttpRequest;
}

/**
 * Turns an http node's `operation` + rendered `inputs` into the request the connector documents:
 * method, path (path inputs URL-encoded, so a value cannot add segments), query, and the body built
 * by the operation's JSONata template and encoded as JSON or a form. Pure apart from JSONata.
 */
export async function resolveOperationRequest(
  connector: ConnectorDefinition,
  request: HttpRequest,
): Promise<ResolvedOperation> {
  const operation = connector.operations.find((candidate) => candidate.id === request.operation);
  if (!operation) {
    throw new ConnectorOperationError(
      `the connector "${connector.id}" has no operation "${request.operation}"`,
    );
  }
  const values = inputValues(operation, request.inputs ?? {});
  const path = operation.path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_whole, name: string) =>
    encodeURIComponent(asText(values.get(name))),
  );
  const query = new URLSearchParams();
  for (const input of operation.inputs) {
    if (input.in === "query" && values.has(input.name))
      query.append(input.name, asText(values.get(input.name)));
  }
  const url = query.size > 0 ? `${path}?${query.toString()}` : path;
  const headers = { ...request.headers };
  let body: string | undefined;
  if (operation.body) {
    const bodyInputs = Object.fromEntries(
      operation.inputs
        .filter((input) => input.in === "body" && values.has(input.name))
        .map((input) => [input.name, values.get(input.name)]),
    );
    const built = operation.body.template
      ? ((await evaluateExpression(operation.body.template, bodyInputs)) ?? {})
      : bodyInputs;
    if (operation.body.encoding === "form") {
      if (typeof built !== "object" || built === null || Array.isArray(built)) {
        throw new ConnectorOperationError(
          `the body of "${operation.id}" is not an object (form bodies need one)`,
        );
      }
      body = formEncode(built as Record<string, unknown>);
      headers["content-type"] = "application/x-www-form-urlencoded";
    } else {
      body = JSON.stringify(built);
      headers["content-type"] = "application/json";
    }
  }
  for (const name of Object.keys(headers)) {
    if (name !== "content-type" && name.toLowerCase() === "content-type" && body !== undefined)
      delete headers[name];
  }
  const { operation: _operation, inputs: _inputs, body: _body, ...rest } = request;
  return {
    operation,
    request: { ...rest, method: operation.method, url, headers, ...(body === undefined ? {} : { body }) },
  };
}

/**
 * A 2xx response of an operation with its JSONata `response` mapping applied to the parsed body:
 * the flow's `body` is the mapped result (JSON). Other responses are left as they are (the node
 * takes its error branch on the status).
 */
export async function mapOperationResponse(
  operation: ConnectorOperation,
  response: HttpResponse,
): Promise<HttpResponse> {
  if (!operation.response || response.status < 200 || response.status > 299) return response;
  let parsed: unknown;
  try {
    parsed = response.body.trim() === "" ? {} : JSON.parse(response.body);
  } catch {
    throw new ConnectorOperationError(`the response of "${operation.id}" is not JSON`);
  }
  const mapped = await evaluateExpression(operation.response, parsed);
  const headers = Object.fromEntries(
    Object.entries(response.headers).filter(([name]) => name.toLowerCase() !== "content-type"),
  );
  return {
    ...response,
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(mapped ?? null),
  };
}
