import {
  type ConversationEvent,
  conversationEventsQuerySchema,
  conversationIdParamsSchema,
} from "@parley/contract";
import { openConversationEvents } from "@parley/core";
import { type AnyRouteSpec, defineRoute } from "../route-spec";

/** A comment line this often keeps proxies and browsers from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/** `Last-Event-ID` (header, set by EventSource on reconnect) or `?lastEventId=` (first connect). */
function resumePoint(header: string | string[] | undefined, query: number | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value !== undefined && /^\d+$/.test(value.trim())) return Number(value.trim());
  return query;
}

/** `GET /api/v1/conversations/{conversationId}/events`: the conversation's live server-sent events. */
export const conversationEventsRoute: AnyRouteSpec = defineRoute({
  method: "GET",
  path: "/api/v1/conversations/{conversationId}/events",
  operationId: "streamConversationEvents",
  summary: "Live events of a conversation (server-sent events)",
  description:
    "`message` events (one per new message, its transcript entry as JSON, `id:` = its seq) and " +
    "`status` events (status, assignee, queue, CSAT), plus `typing` and, for agents, `note`. Send " +
    "`Last-Event-ID` (EventSource does on reconnect) or `?lastEventId=` to get every message after it " +
    "first: no gaps, no duplicates. A comment line every 15 s keeps the connection open. Browsers' " +
    "EventSource, which cannot send headers, may pass a publishable key as `?access_token=pk_...`.",
  tag: "Conversations",
  permission: "conversations:read",
  params: conversationIdParamsSchema,
  query: conversationEventsQuerySchema,
  success: { status: 200, description: "An endless text/event-stream" },
  alternateContent: { "text/event-stream": "always" },
  errors: [404],
  handler: async ({ params, query, ctx, request, reply }) => {
    const abort = new AbortController();
    let heartbeat: ReturnType<typeof setInterval> | undefined;
    const raw = reply.raw;
    const finish = () => {
      if (heartbeat) clearInterval(heartbeat);
      abort.abort();
      if (!raw.writableEnded) raw.end();
    };
    let started = false;
    const start = () => {
      if (started) return;
      started = true;
      reply.hijack();
      const headers: Record<string, string> = {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      };
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined && !(name in headers)) headers[name] = String(value);
      }
      raw.writeHead(200, headers);
      raw.write(": stream open\n\n");
      heartbeat = setInterval(() => raw.write(": ping\n\n"), HEARTBEAT_MS);
      heartbeat.unref();
    };
    request.raw.on("close", finish);
    await openConversationEvents(
      ctx,
      params.conversationId,
      {
        signal: abort.signal,
        ...(() => {
          const lastEventId = resumePoint(request.headers["last-event-id"], query.lastEventId);
          return lastEventId === undefined ? {} : { lastEventId };
        })(),
      },
      {
        send(event: ConversationEvent, id?: number) {
          start();
          if (raw.writableEnded) return;
          raw.write(
            `${id === undefined ? "" : `id: ${id}\n`}event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`,
          );
        },
        close: finish,
      },
    );
    // Headers go out now even if nothing is queued yet, so the client knows the stream is open.
    start();
    return reply;
  },
});
