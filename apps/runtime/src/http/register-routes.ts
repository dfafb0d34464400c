import { Readable } from "node:stream";
import { fieldProblems } from "@parley/contract";
import {
  type Authentication,
  authenticateKey,
  type CoreDeps,
  recordRefusedOrigin,
  type ServiceContext,
} from "@parley/core";
import type { RateLimitDecision, RateLimiter } from "@parley/infra";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { Admission } from "./admission";
import { HttpProblem } from "./problem";
import type { AnyRouteSpec } from "./route-spec";

/**
 * The request limits the API enforces. Secret keys spend their own bucket, then the tenant's.
 * Publishable keys (the widget, i.e. anyone) spend a per-visitor bucket (bot + client address) and
 * a per-bot bucket and never the tenant's, so anonymous traffic cannot lock a tenant out of its
 * own API.
 */
export interface ApiLimits {
  tenant: RateLimiter;
  key: RateLimiter;
  publishableBot: RateLimiter;
  publishableClient: RateLimiter;
}

/**
 * Default requests per minute. Sized so 500 turns per second of legitimate traffic through one key
 * (or one widget bot) is not refused; abuse of one conversation or visitor is bounded separately.
 */
export const DEFAULT_RATE_LIMITS = { tenant: 120_000, key: 60_000, publishableBot: 60_000 } as const;

/** The limits with their defaults (per minute), for `rateLimiter` of the process's infrastructure. */
export function createApiLimits(
  rateLimiter: (options: { name: string; points: number; durationSeconds: number }) => RateLimiter,
  perMinute: { tenant?: number; key?: number; publishableBot?: number; publishableClient?: number } = {},
): ApiLimits {
  const limiter = (name: string, points: number) => rateLimiter({ name, points, durationSeconds: 60 });
  return {
    tenant: limiter("tenant", perMinute.tenant ?? DEFAULT_RATE_LIMITS.tenant),
    key: limiter("api-key", perMinute.key ?? DEFAULT_RATE_LIMITS.key),
    publishableBot: limiter(
      "publishable-bot",
      perMinute.publishableBot ?? DEFAULT_RATE_LIMITS.publishableBot,
    ),
    publishableClient: limiter("publishable-client", perMinute.publishableClient ?? 300),
  };
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function parsePart(
  schema: z.ZodType | undefined,
  value: unknown,
  part: "params" | "query" | "body",
  code: string,
): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = fieldProblems(result.error.issues, part === "body" ? "" : part);
  throw new HttpProblem(
    400,
    code,
    `invalid ${part}: ${errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
    { errors },
  );
}

/** The runtime's own origin, as the browser would send it for the demo page. */
function selfOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/**
 * Checks the Origin of a browser request against what the key allows (publishable keys: the bot's
 * origins). A refusal keeps the CORS header, so the widget on that site can read the reason and show
 * it instead of retrying forever; the refused origin is remembered for the bot's settings page.
 */
async function checkOrigin(request: FastifyRequest, deps: CoreDeps, auth: Authentication): Promise<void> {
  const origin = request.headers.origin;
  if (!origin) return;
  if (
    auth.actor.type === "widget" &&
    origin !== selfOrigin(request) &&
    !auth.allowedOrigins?.includes(origin)
  ) {
    await recordRefusedOrigin(deps, auth.actor.botId, origin).catch((error: unknown) =>
      request.log.warn({ err: error }, "could not record the refused origin"),
    );
    throw new HttpProblem(
      403,
      "origin-not-allowed",
      `the origin ${origin} is not in this bot's allowed origins`,
    );
  }
}

/** Keeps the raw body bytes on the request (`rawBody`) before parsing, for signature checks. */
async function keepRawBody(request: FastifyRequest, _reply: FastifyReply, payload: NodeJS.ReadableStream) {
  const chunks: Buffer[] = [];
  for await (const chunk of payload) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  const raw = Buffer.concat(chunks);
  (request as FastifyRequest & { rawBody?: Buffer }).rawBody = raw;
  const replay = Readable.from([raw]) as Readable & { receivedEncodedLength?: number };
  replay.receivedEncodedLength = raw.length;
  return replay;
}

async function authenticate(request: FastifyRequest, deps: CoreDeps): Promise<Authentication> {
  const header = request.headers.authorization;
  // Browsers' EventSource cannot send headers: a publishable key (public by design, never a
  // secret key) may come as `?access_token=` on GET requests.
  const queryKey = (request.query as { access_token?: unknown } | undefined)?.access_token;
  if (!header && request.method === "GET" && typeof queryKey === "string" && queryKey.startsWith("pk_")) {
    return authenticateKey(deps, queryKey, { clientAddress: request.ip });
  }
  if (!header) {
    throw new HttpProblem(
      401,
      "missing-api-key",
      "send your key as `Authorization: Bearer <key>` (sk_... or pk_...)",
    );
  }
  const match = BEARER.exec(header);
  if (!match)
    throw new HttpProblem(401, "invalid-authorization", "the Authorization header must be `Bearer <key>`");
  return authenticateKey(deps, match[1]!, { clientAddress: request.ip });
}

function refuse(what: string, decision: RateLimitDecision): never {
  throw new HttpProblem(
    429,
    "rate-limited",
    `the ${what} request limit (${decision.limit} per minute) is exhausted`,
    {
      retryAfterSeconds: decision.retryAfterSeconds,
    },
  );
}

/**
 * Spends the request's buckets, narrowest first in meaning but all in one Redis round trip (the
 * consumes are issued together and auto-pipelined), and refuses with the narrowest that refused. A
 * bucket that refuses never keeps the request's point in a wider one: the wider buckets that allowed
 * it are refunded, so a flood on one key or from one visitor does not drain what the tenant's other
 * callers share.
 */
async function enforceLimits(limits: ApiLimits, auth: Authentication, clientAddress: string): Promise<void> {
  const buckets: [what: string, limiter: RateLimiter, key: string][] =
    auth.actor.type === "widget"
      ? [
          ["visitor", limits.publishableClient, `${auth.actor.botId}:${clientAddress}`],
          ["publishable key", limits.publishableBot, auth.actor.botId],
        ]
      : [
          [
            "API key",
            limits.key,
            auth.actor.type === "api_key" ? auth.actor.keyId : `system:${auth.tenantId}`,
          ],
          ["tenant", limits.tenant, auth.tenantId],
        ];
  const decisions = await Promise.all(buckets.map(([, limiter, key]) => limiter.consume(key)));
  const refused = decisions.findIndex((decision) => !decision.allowed);
  if (refused === -1) return;
  await Promise.all(
    buckets
      .slice(refused + 1)
      .filter((_, index) => decisions[refused + 1 + index]!.allowed)
      // Best effort: a refund that fails leaves a point spent, never turns the 429 into a 500.
      .map(([, limiter, key]) => limiter.refund(key).catch(() => {})),
  );
  refuse(buckets[refused]![0], decisions[refused]!);
}

/**
 * Registers the route table on Fastify: CORS, authentication (bearer key -> tenant + actor),
 * origin checks for publishable keys, rate limits (see {@link ApiLimits}), then zod validation of
 * params, query and body (unknown fields refused) before the handler runs.
 */
export function registerApiRoutes(
  app: FastifyInstance,
  routes: readonly AnyRouteSpec[],
  options: { deps: CoreDeps; limits: ApiLimits; admission: Admission },
): void {
  const { admission } = options;
  // Preflight: answered for any origin; the real request is where the key's origins are enforced.
  app.addHook("onRequest", async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin || !request.url.startsWith("/api/")) return;
    reply.header("access-control-allow-origin", origin);
    reply.header("vary", "Origin");
    reply.header("access-control-expose-headers", "retry-after, x-request-id");
    if (request.method === "OPTIONS") {
      reply
        .code(204)
        .header("access-control-allow-methods", "GET, POST, PUT, PATCH, DELETE")
        .header("access-control-allow-headers", "authorization, content-type, accept, x-request-id")
        .header("access-control-max-age", "600")
        .send();
    }
  });
  app.options("/api/*", async (_request, reply) => reply.code(204).send());

  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.path.replace(/\{(\w+)\}/g, ":$1"),
      ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
      ...(route.rawBody ? { preParsing: keepRawBody } : {}),
      handler: async (request, reply) => {
        let ctx: ServiceContext;
        if (route.auth === "none" || (route.auth === "key-or-signed" && !request.headers.authorization)) {
          ctx = { deps: options.deps, tenantId: "", actor: { type: "system", label: "anonymous" } };
        } else {
          const auth = await authenticate(request, options.deps);
          await checkOrigin(request, options.deps, auth);
          await enforceLimits(options.limits, auth, request.ip);
          request.log = request.log.child({
            tenantId: auth.tenantId,
            actor: auth.actor.type === "api_key" ? auth.actor.keyId : auth.actor.type,
          });
          ctx = {
            deps: options.deps,
            tenantId: auth.tenantId,
            actor: auth.actor,
            requestId: request.id,
            ipAddress: request.ip,
            ...(request.headers["user-agent"] ? { userAgent: request.headers["user-agent"] } : {}),
          };
        }
        const params = parsePart(route.params, request.params, "params", "invalid-params");
        const conversationId = (params as { conversationId?: string } | undefined)?.conversationId;
        if (conversationId) request.log = request.log.child({ conversationId });
        const query = parsePart(route.query, request.query, "query", "invalid-query");
        const multipart = route.multipart !== undefined && request.isMultipart();
        const rawBody = request.body === undefined && route.bodyOptional ? {} : request.body;
        if (route.body && rawBody === undefined && !multipart) {
          throw new HttpProblem(
            400,
            "missing-body",
            "this operation needs a JSON body (Content-Type: application/json)",
          );
        }
        const body = multipart ? undefined : parsePart(route.body, rawBody, "body", "invalid-body");
        const result = await admission.run(() => route.handler({ params, query, body, ctx, request, reply }));
        if (reply.sent) return reply;
        if (result === undefined) return reply.code(route.success.status).send();
        return reply.code(route.success.status).send(result);
      },
    });
  }
}
