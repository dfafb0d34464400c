import {
  assignRequestSchema,
  type InboxState,
  type TakeoverRequest,
  takeoverRequestSchema,
  transferRequestSchema,
} from "@parley/contract";
import type { z } from "zod";
import { roleAllows } from "../access/roles";
import { authorize, nowOf, type ServiceContext, tenantDb } from "../context";
import { commitStep } from "../conversations/commit";
import { loadConversation, withFreshRetry } from "../conversations/load";
import { withConversationLock } from "../conversations/lock";
import { notFound, parseInput, ServiceError } from "../errors";
import { isUuid } from "../internal/ids";
import { assertBotVisible } from "./bot-access";
import { publishConversationNotice } from "./conversation-events";
import { auditInboxAction } from "./inbox-audit";
import { inboxStateOf, readInboxRow } from "./inbox-state";
import { systemNotice } from "./system-notice";

const userIdOf = (ctx: ServiceContext): string | null =>
  ctx.actor.type === "user" ? ctx.actor.userId : null;

/**
 * Takes over any conversation that is not over: it goes to `handoff` (the bot stays silent),
 * assigned to the calling member, or unassigned into `queue` (API keys always queue). The visitor
 * sees "An agent joined the conversation". A conversation already handed off is claimed instead.
 * Needs `conversations:agent`.
 */
export async function takeOverConversation(
  ctx: ServiceContext,
  conversationId: string,
  input: TakeoverRequest = {},
): Promise<InboxState> {
  authorize(ctx, "conversations:agent");
  const data = parseInput(takeoverRequestSchema, input, "takeover");
  if (!isUuid(conversationId)) throw notFound("conversation", conversationId);
  const me = data.queue === undefined ? userIdOf(ctx) : null;
  const claimed = await withConversationLock(ctx, conversationId, () =>
    withFreshRetry(async (hot) => {
      const { conversation } = await loadConversation(ctx, conversationId, { hot });
      await assertBotVisible(ctx, conversation.botId, conversationId);
      if (conversation.status === "ended") {
        throw new ServiceError("conflict", "conversation-ended", `conversation ${conversationId} has ended`);
      }
      if (conversation.status === "handoff") return false;
      const now = nowOf(ctx.deps);
      // Under the conversation's lock; a commit that then fails is redone and sets the same values.
      await tenantDb(ctx).conversation.updateMany({
        where: { id: conversationId },
        data: {
          assignedUserId: me,
          assignedAt: me ? now : null,
          handoffQueue: data.queue ?? null,
          handoffPriority: data.priority ?? "normal",
          handoffReason: data.reason ?? `taken over by ${ctx.actor.label}`,
        },
      });
      await commitStep(ctx, conversation, {
        outgoing: [systemNotice("An agent joined the conversation")],
        outgoingAuthor: "system",
        status: "handoff",
      });
      return true;
    }),
  );
  if (!claimed && me) return claimConversation(ctx, conversationId);
  if (claimed) {
    await auditInboxAction(ctx, "takeover", conversationId, {
      assignedUserId: me,
      queue: data.queue ?? null,
      priority: data.priority ?? "normal",
    });
  }
  return inboxStateOf(await readInboxRow(ctx, conversationId));
}

/**
 * Claims a handed-off conversation for the calling member. Atomic: of two agents claiming at once
 * one wins; the other (and anyone claiming a conversation somebody holds) gets a 409 naming the
 * holder. Claiming your own conversation again is fine. Needs `conversations:agent`.
 */
export async function claimConversation(ctx: ServiceContext, conversationId: string): Promise<InboxState> {
  authorize(ctx, "conversations:agent");
  const me = userIdOf(ctx);
  if (!me) {
    throw new ServiceError(
      "invalid",
      "claim-needs-member",
      "only a signed-in member can claim a conversation; API keys assign it to a member with POST .../assign",
    );
  }
  const row = await readInboxRow(ctx, conversationId);
  const db = tenantDb(ctx);
  const now = nowOf(ctx.deps);
  const { count } = await db.conversation.updateMany({
    where: { id: conversationId, status: "handoff", OR: [{ assignedUserId: null }, { assignedUserId: me }] },
    data: { assignedUserId: me, assignedAt: now },
  });
  if (count === 0) {
    const current = await readInboxRow(ctx, conversationId);
    if (current.status !== "handoff") {
      throw new ServiceError(
        "conflict",
        "not-in-handoff",
        `conversation ${conversationId} is not waiting for a human (status ${current.status}); take it over first`,
      );
    }
    const holder = await memberLabel(ctx, current.assignedUserId ?? "");
    throw new ServiceError(
      "conflict",
      "already-claimed",
      `conversation ${conversationId} is already claimed by ${holder}; ask them to transfer it`,
    );
  }
  if (row.assignedUserId !== me) {
    await auditInboxAction(ctx, "claim", conversationId, { assignedUserId: me });
    await publishConversationNotice(ctx, conversationId, { kind: "state", lastSeq: row.lastSeq });
  }
  return inboxStateOf(await readInboxRow(ctx, conversationId));
}

/** The label of a member (name or e-mail), or "another agent" (internal). */
async function memberLabel(ctx: ServiceContext, userId: string): Promise<string> {
  if (!userId) return "another agent";
  const user = await ctx.deps.db.system.user
    .findUnique({ where: { id: userId }, select: { name: true, email: true } })
    .catch(() => null);
  return user ? user.name || user.email : "another agent";
}

/**
 * Checks that `userId` is a member who may work this conversation's bot: a role with
 * `conversations:agent` and, for `agent` members, the bot among their bots (internal).
 */
async function assertAssignable(ctx: ServiceContext, userId: string, botId: string): Promise<void> {
  const membership = await tenantDb(ctx).membership.findFirst({
    where: { userId },
    select: { role: true, agentBotIds: true },
  });
  if (!membership || !roleAllows(membership.role, "conversations:agent")) {
    throw new ServiceError(
      "invalid",
      "not-an-agent",
      `user ${userId} is not a member who can work the inbox`,
      {
        errors: [{ path: "userId", message: "not a member with the conversations:agent permission" }],
      },
    );
  }
  if (membership.role === "agent" && !(membership.agentBotIds ?? []).includes(botId)) {
    throw new ServiceError("invalid", "bot-not-granted", `agent ${userId} has no access to this bot`, {
      errors: [{ path: "userId", message: "this agent is not given the conversation's bot" }],
    });
  }
}

/**
 * Assigns a handed-off conversation to a member (`null`: back to its queue, unassigned), whoever
 * held it; audited as `auditAs` (a transfer to a member is an assignment). Needs `conversations:agent`.
 */
export async function assignConversation(
  ctx: ServiceContext,
  conversationId: string,
  input: z.input<typeof assignRequestSchema>,
  auditAs: "assign" | "transfer" = "assign",
): Promise<InboxState> {
  authorize(ctx, "conversations:agent");
  const data = parseInput(assignRequestSchema, input, "assignment");
  const row = await readInboxRow(ctx, conversationId);
  if (row.status !== "handoff") {
    throw new ServiceError(
      "conflict",
      "not-in-handoff",
      `conversation ${conversationId} is not waiting for a human; take it over first`,
    );
  }
  if (data.userId) await assertAssignable(ctx, data.userId, row.botId);
  await tenantDb(ctx).conversation.updateMany({
    where: { id: conversationId },
    data: { assignedUserId: data.userId, assignedAt: data.userId ? nowOf(ctx.deps) : null },
  });
  await auditInboxAction(ctx, auditAs, conversationId, {
    assignedUserId: data.userId,
    previousUserId: row.assignedUserId,
  });
  await publishConversationNotice(ctx, conversationId, { kind: "state", lastSeq: row.lastSeq });
  return inboxStateOf(await readInboxRow(ctx, conversationId));
}

/**
 * Transfers a handed-off conversation to another member, or into a queue (unassigned, waiting for
 * whoever claims it there). Needs `conversations:agent`.
 */
export async function transferConversation(
  ctx: ServiceContext,
  conversationId: string,
  input: z.input<typeof transferRequestSchema>,
): Promise<InboxState> {
  authorize(ctx, "conversations:agent");
  const data = parseInput(transferRequestSchema, input, "transfer");
  if (data.userId !== undefined) {
    const state = await assignConversation(ctx, conversationId, { userId: data.userId }, "transfer");
    if (data.reason !== undefined) {
      await tenantDb(ctx).conversation.updateMany({
        where: { id: conversationId },
        data: { handoffReason: data.reason },
      });
      return inboxStateOf(await readInboxRow(ctx, conversationId));
    }
    return state;
  }
  const row = await readInboxRow(ctx, conversationId);
  if (row.status !== "handoff") {
    throw new ServiceError(
      "conflict",
      "not-in-handoff",
      `conversation ${conversationId} is not waiting for a human`,
    );
  }
  await tenantDb(ctx).conversation.updateMany({
    where: { id: conversationId },
    data: {
      assignedUserId: null,
      assignedAt: null,
      handoffQueue: data.queue ?? null,
      ...(data.reason === undefined ? {} : { handoffReason: data.reason }),
    },
  });
  // The reason is free text (it may name the visitor): the log keeps only whether one was given.
  await auditInboxAction(ctx, "transfer", conversationId, {
    queue: data.queue ?? null,
    previousUserId: row.assignedUserId,
    reasonChanged: data.reason !== undefined,
  });
  await publishConversationNotice(ctx, conversationId, { kind: "state", lastSeq: row.lastSeq });
  return inboxStateOf(await readInboxRow(ctx, conversationId));
}
