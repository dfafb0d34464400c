import { type InboxItem, inboxQuerySchema, markReadRequestSchema } from "@parley/contract";
import type { z } from "zod";
import { authorize, nowOf, type ServiceContext, tenantDb } from "../context";
import { parseInput, ServiceError } from "../errors";
import { visibleBotIds } from "./bot-access";
import { inboxStateOf, inboxStateSelect, readInboxRow } from "./inbox-state";

const readKey = (tenantId: string, userId: string, conversationId: string) =>
  `inbox-read:${tenantId}:${userId}:${conversationId}`;
// Below 2^31 ms: the in-process cache times entries out with setTimeout.
const READ_TTL_MS = 7 * 24 * 3_600_000;
const PRIORITY_RANK: Record<string, number> = { urgent: 0, high: 1, normal: 2, low: 3 };
const MAX_ITEMS = 200;

/** Who reads: the member, or the key (unread counts are per reader) (internal). */
const readerOf = (ctx: ServiceContext): string =>
  ctx.actor.type === "user"
    ? ctx.actor.userId
    : ctx.actor.type === "api_key"
      ? `key:${ctx.actor.keyId}`
      : "system";

/**
 * The inbox: conversations waiting for a human (handed off by a flow, taken over, or from a
 * channel), most urgent and longest waiting first, with queue, priority, reason, waiting time,
 * the last message and the caller's unread count. `waiting`: unassigned; `mine`: assigned to the
 * caller; `all`: both and everyone else's. Agents see only their bots. Needs `conversations:agent`.
 */
export async function listInbox(
  ctx: ServiceContext,
  query: z.input<typeof inboxQuerySchema> = {},
): Promise<{ items: InboxItem[] }> {
  authorize(ctx, "conversations:agent");
  const data = parseInput(inboxQuerySchema, query, "inbox query");
  const visible = await visibleBotIds(ctx);
  if (visible && visible.size === 0) return { items: [] };
  const me = ctx.actor.type === "user" ? ctx.actor.userId : null;
  const botFilter =
    data.botId !== undefined
      ? visible && !visible.has(data.botId)
        ? { botId: "-" }
        : { botId: data.botId }
      : visible
        ? { botId: { in: [...visible] } }
        : {};
  const db = tenantDb(ctx);
  const rows = await db.conversation.findMany({
    where: {
      status: "handoff",
      ...botFilter,
      ...(data.queue !== undefined ? { handoffQueue: data.queue } : {}),
      ...(data.view === "waiting" ? { assignedUserId: null } : {}),
      ...(data.view === "mine" ? { assignedUserId: me ?? "-" } : {}),
    },
    orderBy: { handoffAt: "asc" },
    take: MAX_ITEMS,
    select: {
      ...inboxStateSelect,
      channel: true,
      lastActivityAt: true,
      bot: { select: { name: true } },
      contact: { select: { displayName: true, email: true } },
    },
  });
  const ids = rows.map((row) => row.id);
  const previews = ids.length
    ? await db.message.findMany({
        where: { conversationId: { in: ids }, author: { in: ["user", "bot", "agent"] }, text: { not: null } },
        orderBy: { seq: "desc" },
        distinct: ["conversationId"],
        select: { conversationId: true, text: true },
      })
    : [];
  const previewOf = new Map(previews.map((message) => [message.conversationId, message.text]));
  const reader = readerOf(ctx);
  const now = nowOf(ctx.deps).getTime();
  const items = await Promise.all(
    rows.map(async (row): Promise<InboxItem> => {
      const readSeq =
        (await ctx.deps.infra.cache
          .get<number>(readKey(ctx.tenantId, reader, row.id))
          .catch(() => undefined)) ?? 0;
      const since = row.handoffAt?.getTime() ?? row.lastActivityAt.getTime();
      return {
        ...inboxStateOf(row),
        botId: row.botId,
        botName: row.bot.name,
        channel: row.channel,
        contactName: row.contact?.displayName ?? row.contact?.email ?? null,
        lastActivityAt: row.lastActivityAt.toISOString(),
        waitingSeconds: Math.max(0, Math.round((now - since) / 1000)),
        lastSeq: row.lastSeq,
        preview: previewOf.get(row.id) ?? null,
        unread: Math.max(0, row.lastSeq - readSeq),
      };
    }),
  );
  items.sort(
    (a, b) =>
      (PRIORITY_RANK[a.priority ?? "normal"] ?? 2) - (PRIORITY_RANK[b.priority ?? "normal"] ?? 2) ||
      b.waitingSeconds - a.waitingSeconds,
  );
  return { items };
}

/** Marks a conversation read up to `seq` for the caller (the inbox's unread counts). Needs `conversations:agent`. */
export async function markInboxRead(
  ctx: ServiceContext,
  conversationId: string,
  input: z.input<typeof markReadRequestSchema>,
): Promise<void> {
  authorize(ctx, "conversations:agent");
  const data = parseInput(markReadRequestSchema, input, "read mark");
  const row = await readInboxRow(ctx, conversationId);
  if (data.seq > row.lastSeq) {
    throw new ServiceError("invalid", "seq-out-of-range", `the conversation has no message ${data.seq} yet`, {
      errors: [{ path: "seq", message: `at most ${row.lastSeq}` }],
    });
  }
  await ctx.deps.infra.cache.set(readKey(ctx.tenantId, readerOf(ctx), conversationId), data.seq, {
    ttlMs: READ_TTL_MS,
  });
}
