import type { ServiceContext } from "@parley/core";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";

/**
 * How a route authenticates: a bearer key (secret or publishable), nothing, or a key when an
 * Authorization header is sent and otherwise a signature the handler verifies (ctx without tenant).
 */
export type RouteAuth = "key" | "none" | "key-or-signed";

/** What a handler receives: validated input and the caller's service context. */
export interface RouteInput<Params, Query, Body> {
  params: Params;
  query: Query;
  body: Body;
  ctx: ServiceContext;
  request: FastifyRequest;
  reply: FastifyReply;
}

/**
 * One REST operation, described once: the runtime validates requests with these zod schemas and
 * generates the OpenAPI document from the very same schemas.
 */
export interface RouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** OpenAPI-style path, e.g. `/api/v1/bots/{botId}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** The permission the service checks, for the documentation. */
  permission?: string;
  auth?: RouteAuth;
  params?: P;
  query?: Q;
  body?: B;
  /** A missing body is validated as `{}` (bodies whose fields are all optional). */
  bodyOptional?: boolean;
  /**
   * Also accepts `multipart/form-data` with one file part named `file` (besides the JSON body): the
   * JSON schema is then skipped and the handler reads the file (`request.file()`); `fields` are the
   * documented text fields.
   */
  multipart?: { maxFileBytes: number; fields: z.ZodObject };
  /** Keeps the raw request bytes on `request.rawBody` (a Buffer) for signature checks. */
  rawBody?: boolean;
  /** Largest request body in bytes, when this route takes more than the server's default. */
  bodyLimit?: number;
  success: { status: number; description: string; schema?: z.ZodType };
  /** Documents the `text/event-stream` variant of the response. */
  streams?: boolean;
  /** Other media types the success response comes in (e.g. `text/csv`), with how to ask for them. */
  alternateContent?: Readonly<Record<string, string>>;
  /** Error statuses worth documenting besides 401/429/5xx. */
  errors?: number[];
  handler(input: RouteInput<z.infer<P>, z.infer<Q>, z.infer<B>>): Promise<unknown>;
}

/** A route with its types erased, for the route table. */
export type AnyRouteSpec = RouteSpec<z.ZodType, z.ZodType, z.ZodType>;

/** Declares a route with inferred handler types. */
export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  spec: RouteSpec<P, Q, B>,
): AnyRouteSpec {
  return spec as unknown as AnyRouteSpec;
}
