import {
  type ConversationPage,
  listConversationsQuerySchema,
  type TranscriptEntry,
  type TranscriptResponse,
} from "@parley/contract";
import type { z } from "zod";
import { loadBot } from "../bots/bots";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { assertBotVisible, visibleBotIds } from "../inbox/bot-access";
import { isUuid } from "../internal/ids";

/** One conversation's transcript. Needs `conversations:read` (a widget key: its bot's conversations). */
export async function getConversation(
  ctx: ServiceContext,
  conversationId: string,
): Promise<TranscriptResponse> {
  authorize(ctx, "conversations:read");
  const db = tenantDb(ctx);
  const conversation = isUuid(conversationId)
    ? await db.conversation.findFirst({ where: { id: conversationId } })
    : null;
  if (!conversation || (ctx.actor.type === "widget" && conversation.botId !== ctx.actor.botId)) {
    throw notFound("conversation", conversationId);
  }
  await assertBotVisible(ctx, conversation.botId, conversationId);
  const messages = await db.message.findMany({
    where: { conversationId },
    orderBy: { seq: "asc" },
    select: { seq: true, author: true, createdAt: true, payload: true },
  });
  return {
    conversationId,
    botId: conversation.botId,
    status: conversation.status,
    channel: conversation.channel,
    startedAt: conversation.startedAt.toISOString(),
    endedAt: conversation.endedAt?.toISOString() ?? null,
    entries: messages.map(
      (message): TranscriptEntry => ({
        seq: message.seq,
        author: message.author,
        createdAt: message.createdAt.toISOString(),
        message: message.payload as TranscriptEntry["message"],
      }),
    ),
  };
}

/** A bot's conversations, newest first, with filters and cursor paging. Needs `conversations:read`. */
export async function listConversations(
  ctx: ServiceContext,
  botId: string,
  query: z.input<typeof listConversationsQuerySchema> = {},
): Promise<ConversationPage> {
  authorize(ctx, "conversations:read");
  if (ctx.actor.type === "widget")
    throw new ServiceError("forbidden", "forbidden", "a publishable key cannot list conversations");
  const filters = parseInput(listConversationsQuerySchema, query, "query");
  const visible = await visibleBotIds(ctx);
  if (visible && !visible.has(botId)) throw notFound("bot", botId);
  await loadBot(ctx, botId);
  if (filters.cursor !== undefined && !isUuid(filters.cursor)) {
    throw new ServiceError("invalid", "invalid-cursor", "cursor is not a cursor this API returned", {
      errors: [{ path: "cursor", message: "unknown cursor" }],
    });
  }
  const rows = await tenantDb(ctx).conversation.findMany({
    where: {
      botId,
      ...(filters.status ? { status: filters.status } : {}),
      ...(filters.channel ? { channel: filters.channel } : {}),
      ...(filters.since || filters.until
        ? {
            startedAt: {
              ...(filters.since ? { gte: new Date(filters.since) } : {}),
              ...(filters.until ? { lt: new Date(filters.until) } : {}),
            },
          }
        : {}),
      ...(filters.cursor ? { id: { lt: filters.cursor } } : {}),
    },
    orderBy: { id: "desc" },
    take: filters.limit + 1,
  });
  const page = rows.slice(0, filters.limit);
  return {
    items: page.map((row) => ({
      conversationId: row.id,
      status: row.status,
      channel: row.channel,
      flowVersionId: row.flowVersionId,
      contactId: row.contactId,
      turnCount: row.turnCount,
      startedAt: row.startedAt.toISOString(),
      lastActivityAt: row.lastActivityAt.toISOString(),
      endedAt: row.endedAt?.toISOString() ?? null,
    })),
    nextCursor: rows.length > filters.limit ? page.at(-1)!.id : null,
  };
}
