import { type ConversationPage, listConversationsQuerySchema } from "@parley/contract";
import type { z } from "zod";
import { loadBot } from "../bots/bots";
import { authorize, type ServiceContext } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { visibleBotIds } from "../inbox/bot-access";
import { readTranscripts } from "../transcripts/transcript-stores";
import { assertCursor } from "./conversation-filter";

/**
 * A bot's conversations, newest first, with filters (state, status, channel, contact, flow version,
 * experiment variant, started and last-activity ranges), full-text search over message text (`q`)
 * and cursor paging, from the transcript store (Postgres, or MongoDB with `MONGODB_URL`, falling back
 * to Postgres while MongoDB is unreachable). Needs
 * `conversations:read`; a publishable key cannot list.
 */
export async function listConversations(
  ctx: ServiceContext,
  botId: string,
  query: z.input<typeof listConversationsQuerySchema> = {},
): Promise<ConversationPage> {
  authorize(ctx, "conversations:read");
  if (ctx.actor.type === "widget")
    throw new ServiceError("forbidden", "forbidden", "a publishable key cannot list conversations");
  const { limit, cursor, ...filters } = parseInput(listConversationsQuerySchema, query, "query");
  // An agent sees the conversations of the bots it is given only.
  const visible = await visibleBotIds(ctx);
  if (visible && !visible.has(botId)) throw notFound("bot", botId);
  await loadBot(ctx, botId);
  assertCursor(cursor);
  const { value: page } = await readTranscripts(ctx.deps, (store) =>
    store.listConversations(ctx.tenantId, { botId, filters, cursor, limit }),
  );
  return { items: page.items.map(({ botId: _bot, ...summary }) => summary), nextCursor: page.nextCursor };
}
