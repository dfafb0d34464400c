import {
  botIdParamsSchema,
  conversationIdParamsSchema,
  conversationPageSchema,
  createConversationRequestSchema,
  createConversationResponseSchema,
  handBackRequestSchema,
  listConversationsQuerySchema,
  sendMessageRequestSchema,
  transcriptResponseSchema,
  turnResponseSchema,
} from "@parley/contract";
import {
  endConversation,
  getConversation,
  listConversations,
  resolveHandoff,
  sendMessage,
  startConversation,
} from "@parley/core";
import { problemFor, problemOf } from "../problem";
import { type AnyRouteSpec, defineRoute } from "../route-spec";
import { SseStream, wantsEventStream } from "../sse";

/** The conversation API: start, send (JSON or SSE), transcript, list, end, hand back. */
export const conversationRoutes: AnyRouteSpec[] = [
  defineRoute({
    method: "POST",
    path: "/api/v1/bots/{botId}/conversations",
    operationId: "startConversation",
    summary: "Start a conversation with a bot (runs its first turn)",
    description: "The conversation is pinned to the published version of the bot's entry flow.",
    tag: "Conversations",
    permission: "conversations:write",
    params: botIdParamsSchema,
    body: createConversationRequestSchema,
    bodyOptional: true,
    success: { status: 201, description: "Started", schema: createConversationResponseSchema },
    errors: [404, 409, 422],
    handler: ({ params, body, ctx }) => startConversation(ctx, params.botId, body),
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/conversations/{conversationId}/messages",
    operationId: "sendMessage",
    summary: "Send a message and get the bot's reply",
    description:
      "`{ text }` or `{ choice }`. Repeat `clientMessageId` to resend safely. With `Accept: text/event-stream` " +
      "the reply streams: `token` events as an LLM writes, `message` events, then `done` (or `error`). " +
      'During a handoff, agents reply with `author: "agent"` and a key with `conversations:agent`.',
    tag: "Conversations",
    permission: "conversations:write",
    params: conversationIdParamsSchema,
    body: sendMessageRequestSchema,
    success: { status: 200, description: "The bot's reply", schema: turnResponseSchema },
    streams: true,
    errors: [404, 409, 503],
    handler: async ({ params, body, ctx, request, reply }) => {
      if (!wantsEventStream(request.headers.accept)) return sendMessage(ctx, params.conversationId, body);
      const stream = new SseStream(reply);
      try {
        const response = await sendMessage(ctx, params.conversationId, body, {
          onToken: (chunk) => stream.send({ event: "token", data: chunk }),
        });
        for (const message of response.messages) stream.send({ event: "message", data: message });
        stream.send({ event: "done", data: response });
      } catch (error) {
        if (!stream.isStarted) throw error;
        const problem = problemFor(error);
        stream.send({
          event: "error",
          data: problemOf(problem.status, problem.code, problem.detail, request.url),
        });
      }
      stream.end();
      return reply;
    },
  }),
  defineRoute({
    method: "GET",
    path: "/api/v1/conversations/{conversationId}",
    operationId: "getConversation",
    summary: "A conversation's transcript",
    tag: "Conversations",
    permission: "conversations:read",
    params: conversationIdParamsSchema,
    success: { status: 200, description: "The transcript", schema: transcriptResponseSchema },
    errors: [404],
    handler: ({ params, ctx }) => getConversation(ctx, params.conversationId),
  }),
  defineRoute({
    method: "GET",
    path: "/api/v1/bots/{botId}/conversations",
    operationId: "listConversations",
    summary: "A bot's conversations, newest first (filters, cursor paging)",
    tag: "Conversations",
    permission: "conversations:read",
    params: botIdParamsSchema,
    query: listConversationsQuerySchema,
    success: { status: 200, description: "One page", schema: conversationPageSchema },
    errors: [404, 422],
    handler: ({ params, query, ctx }) => listConversations(ctx, params.botId, query),
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/conversations/{conversationId}/end",
    operationId: "endConversation",
    summary: "End a conversation",
    tag: "Conversations",
    permission: "conversations:write",
    params: conversationIdParamsSchema,
    success: { status: 200, description: "Ended", schema: turnResponseSchema },
    errors: [404],
    handler: ({ params, ctx }) => endConversation(ctx, params.conversationId),
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/conversations/{conversationId}/handback",
    operationId: "handBackConversation",
    summary: "Hand a conversation back from the agent to the bot",
    tag: "Conversations",
    permission: "conversations:agent",
    params: conversationIdParamsSchema,
    body: handBackRequestSchema,
    bodyOptional: true,
    success: { status: 200, description: "The bot's reply after the handoff", schema: turnResponseSchema },
    errors: [404, 409],
    handler: ({ params, body, ctx }) => resolveHandoff(ctx, params.conversationId, body),
  }),
];
