import { type ConversationPage, listConversationsQuerySchema } from "@parley/contract";
import type { z } from "zod";
import { loadBot } from "../bots/bots";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { visibleBotIds } from "../inbox/bot-access";
import { assertCursor, conversationWhere } from "./conversation-filter";
import { toSummary } from "./conversation-rows";
import { selectConversationPage } from "./conversation-search";

/**
 * A bot's conversations, newest first, with filters (state, status, channel, contact, flow version,
 * experiment variant, started and last-activity ranges), full-text search over message text (`q`)
 * and cursor paging. Needs `conversations:read`; a publishable key cannot list.
 */
export async function listConversations(
  ctx: ServiceContext,
  botId: string,
  query: z.input<typeof listConversationsQuerySchema> = {},
): Promise<ConversationPage> {
  authorize(ctx, "conversations:read");
  if (ctx.actor.type === "widget")
    throw new ServiceError("forbidden", "forbidden", "a publishable key cannot list conversations");
  const filters = parseInput(listConversationsQuerySchema, query, "query");
  // An agent sees the conversations of the bots it is given only.
  const visible = await visibleBotIds(ctx);
  if (visible && !visible.has(botId)) throw notFound("bot", botId);
  await loadBot(ctx, botId);
  assertCursor(filters.cursor);
  const rows = await selectConversationPage(tenantDb(ctx), {
    tenantId: ctx.tenantId,
    system: ctx.deps.db.system,
    where: conversationWhere(ctx.tenantId, botId, filters),
    q: filters.q,
    cursor: filters.cursor,
    limit: filters.limit + 1,
  });
  const page = rows.slice(0, filters.limit);
  return {
    items: page.map(toSummary),
    nextCursor: rows.length > filters.limit ? page.at(-1)!.id : null,
  };
}
