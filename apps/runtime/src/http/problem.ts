import type { FieldProblem, Problem } from "@parley/contract";
import { asServiceError, type ServiceErrorKind } from "@parley/core";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";

/** The media type of every error body. */
export const PROBLEM_CONTENT_TYPE = "application/problem+json";

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  406: "Not acceptable",
  409: "Conflict",
  413: "Payload too large",
  414: "URI too long",
  415: "Unsupported media type",
  422: "Unprocessable content",
  429: "Too many requests",
  500: "Internal server error",
  503: "Service unavailable",
};

const STATUS_OF: Record<ServiceErrorKind, number> = {
  invalid: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

/** An error the HTTP layer raises with a ready problem (auth, CORS, parsing). */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extra: { errors?: FieldProblem[]; retryAfterSeconds?: number } = {},
  ) {
    super(detail);
  }
}

/** Builds an RFC 9457 problem body. */
export function problemOf(
  status: number,
  code: string,
  detail: string,
  instance?: string,
  errors?: FieldProblem[],
): Problem {
  return {
    type: `https://parley.dev/problems/${code}`,
    title: TITLES[status] ?? "Error",
    status,
    code,
    detail,
    ...(instance ? { instance } : {}),
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** Sends a problem response (with Retry-After when given). */
export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  options: { errors?: FieldProblem[]; retryAfterSeconds?: number } = {},
): FastifyReply {
  if (options.retryAfterSeconds !== undefined) reply.header("retry-after", String(options.retryAfterSeconds));
  return reply
    .code(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(problemOf(status, code, detail, reply.request.url, options.errors));
}

/** Maps any thrown error to its problem: status, code, detail (internal errors say nothing inside). */
export function problemFor(error: unknown): {
  status: number;
  code: string;
  detail: string;
  errors?: FieldProblem[];
  retryAfterSeconds?: number;
} {
  if (error instanceof HttpProblem)
    return { status: error.status, code: error.code, detail: error.detail, ...error.extra };
  const service = asServiceError(error);
  if (service) {
    return {
      status: STATUS_OF[service.kind],
      code: service.code,
      detail: service.message,
      ...(service.details.errors ? { errors: service.details.errors } : {}),
      ...(service.details.retryAfterSeconds !== undefined
        ? { retryAfterSeconds: service.details.retryAfterSeconds }
        : {}),
    };
  }
  const fastifyError = error as FastifyError;
  switch (fastifyError.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return {
        status: 400,
        code: "malformed-json",
        detail: `the request body is not valid JSON: ${fastifyError.message}`,
      };
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return { status: 413, code: "body-too-large", detail: fastifyError.message };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return { status: 415, code: "unsupported-media-type", detail: "send the body as application/json" };
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return { status: 400, code: "bad-content-length", detail: fastifyError.message };
  }
  if (
    typeof fastifyError.statusCode === "number" &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    return { status: fastifyError.statusCode, code: "bad-request", detail: fastifyError.message };
  }
  return {
    status: 500,
    code: "internal-error",
    detail: "something went wrong on our side; it has been logged",
  };
}

/** Fastify error handler: every error becomes a problem; 5xx are logged with the request id. */
export function problemErrorHandler(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const problem = problemFor(error);
  if (problem.code === "database-unavailable") request.log.warn({ err: error }, "database unavailable");
  else if (problem.status >= 500 && problem.status !== 503)
    request.log.error({ err: error }, "request failed");
  return sendProblem(reply, problem.status, problem.code, problem.detail, problem);
}

/**
 * Fastify's own routing errors (a path parameter longer than `maxParamLength`, a malformed URL
 * component) as problem+json instead of Fastify's plain JSON, for the `frameworkErrors` option.
 */
export function frameworkProblemHandler(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error.code === "FST_ERR_MAX_PARAM_LENGTH") {
    return sendProblem(
      reply,
      414,
      "path-parameter-too-long",
      `a path parameter is longer than ${MAX_PATH_PARAMETER_LENGTH} characters; ids are at most ${MAX_PATH_PARAMETER_LENGTH}`,
    );
  }
  if (error.code === "FST_ERR_BAD_URL") {
    return sendProblem(reply, 400, "bad-url", "the URL has a malformed percent-encoded component");
  }
  return problemErrorHandler(error, _request, reply);
}

/** The longest path parameter (ids) the router accepts (Fastify's `maxParamLength`). */
export const MAX_PATH_PARAMETER_LENGTH = 100;
