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
import { type AssignmentEventType, changeAssignment, type LockedInboxRow } from "./assignment-change";
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
        // Its `conversation.handoff` event says who has it (nobody had it before: it was with the bot).
        assignment: {
          agentId: me,
          previousAgentId: null,
          queue: data.queue ?? null,
          previousQueue: null,
          byUserId: userIdOf(ctx),
        },
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
  await readInboxRow(ctx, conversationId);
  // Atomic: of two agents claiming at once one wins (the row lock), the other sees the holder.
  let holder: string | null = null;
  const { change } = await changeAssignment(ctx, conversationId, (row) => {
    if (row.status !== "handoff") {
      throw new ServiceError(
        "conflict",
        "not-in-handoff",
        `conversation ${conversationId} is not waiting for a human (status ${row.status}); take it over first`,
      );
    }
    if (row.assignedUserId === me) return null;
    if (row.assignedUserId !== null) {
      holder = row.assignedUserId;
      return null;
    }
    return {
      event: "conversation.assigned",
      set: { assignedUserId: me },
      audit: { action: "claim", after: { assignedUserId: me } },
    };
  });
  if (holder !== null) {
    throw new ServiceError(
      "conflict",
      "already-claimed",
      `conversation ${conversationId} is already claimed by ${await memberLabel(ctx, holder)}; ask them to transfer it`,
    );
  }
  return stateAfter(ctx, conversationId, change !== null);
}

/** The inbox state after an action; tells the streams when it changed something (internal). */
async function stateAfter(
  ctx: ServiceContext,
  conversationId: string,
  changed: boolean,
): Promise<InboxState> {
  const row = await readInboxRow(ctx, conversationId);
  if (changed) await publishConversationNotice(ctx, conversationId, { kind: "state", lastSeq: row.lastSeq });
  return inboxStateOf(row);
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
  reason?: string,
): Promise<InboxState> {
  authorize(ctx, "conversations:agent");
  const data = parseInput(assignRequestSchema, input, "assignment");
  const row = await readInboxRow(ctx, conversationId);
  if (data.userId) await assertAssignable(ctx, data.userId, row.botId);
  await changeAssignment(ctx, conversationId, (locked) => {
    assertInHandoff(locked, conversationId, "; take it over first");
    const moved = locked.assignedUserId !== data.userId;
    const event: AssignmentEventType | null = !moved
      ? null
      : auditAs === "transfer"
        ? "conversation.transferred"
        : data.userId
          ? "conversation.assigned"
          : "conversation.unassigned";
    return {
      event,
      set: { assignedUserId: data.userId, ...(reason === undefined ? {} : { handoffReason: reason }) },
      audit: {
        action: auditAs,
        after: { assignedUserId: data.userId, previousUserId: locked.assignedUserId },
      },
    };
  });
  return stateAfter(ctx, conversationId, true);
}

/** Refuses an action on a conversation that is not handed off (internal). */
function assertInHandoff(row: LockedInboxRow, conversationId: string, hint = ""): void {
  if (row.status !== "handoff") {
    throw new ServiceError(
      "conflict",
      "not-in-handoff",
      `conversation ${conversationId} is not waiting for a human${hint}`,
    );
  }
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
    return assignConversation(ctx, conversationId, { userId: data.userId }, "transfer", data.reason);
  }
  await readInboxRow(ctx, conversationId);
  const queue = data.queue ?? null;
  await changeAssignment(ctx, conversationId, (row) => {
    assertInHandoff(row, conversationId);
    const moved = row.assignedUserId !== null || row.handoffQueue !== queue;
    return {
      event: moved ? "conversation.transferred" : null,
      set: {
        assignedUserId: null,
        handoffQueue: queue,
        ...(data.reason === undefined ? {} : { handoffReason: data.reason }),
      },
      // The reason is free text (it may name the visitor): the log keeps only whether one was given.
      audit: {
        action: "transfer",
        after: { queue, previousUserId: row.assignedUserId, reasonChanged: data.reason !== undefined },
      },
    };
  });
  return stateAfter(ctx, conversationId, true);
}
