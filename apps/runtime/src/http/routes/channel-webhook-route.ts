import { type CoreDeps, receiveChannelWebhook } from "@parley/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { sendProblem } from "../problem";

/** Largest webhook body taken (platform events are small; media come as URLs). */
const WEBHOOK_BODY_LIMIT = 1_048_576;

const paramsSchema = z.object({ channelId: z.string().min(1).max(100) });

function headersOf(request: FastifyRequest): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

/**
 * `GET|POST /api/v1/channels/{channelId}/webhook`: the one URL each connected platform calls
 * (events, interactivity, verification handshakes). Bodies are kept as the exact bytes received,
 * whatever their content type, because signatures are checked over them before anything is
 * parsed; core verifies, stores, queues the turn and answers at once.
 */
export function registerChannelWebhookRoute(app: FastifyInstance, deps: CoreDeps): void {
  void app.register(async (scope) => {
    // Only inside this plugin: every body arrives as raw bytes.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      "*",
      { parseAs: "buffer", bodyLimit: WEBHOOK_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    scope.route({
      method: ["GET", "POST"],
      url: "/api/v1/channels/:channelId/webhook",
      handler: async (request, reply) => {
        const params = paramsSchema.safeParse(request.params);
        if (!params.success) return sendProblem(reply, 404, "channel-not-found", "unknown channel");
        const query: Record<string, string | undefined> = {};
        for (const [name, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
          if (typeof value === "string") query[name] = value;
        }
        const answer = await receiveChannelWebhook(deps, params.data.channelId, {
          method: request.method === "GET" ? "GET" : "POST",
          headers: headersOf(request),
          query,
          rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        });
        if (answer.retryAfterSeconds !== undefined) reply.header("retry-after", answer.retryAfterSeconds);
        return reply.code(answer.status).type(answer.contentType).send(answer.body);
      },
    });
  });
}
