import {
  type Channel,
  createTriggerInputSchema,
  type FireTriggerResponse,
  fireTriggerRequestSchema,
  type TriggerView,
  updateTriggerInputSchema,
} from "@parley/contract";
import type { BotTrigger } from "@parley/db";
import { checkExpressionSyntax, evaluateExpression } from "@parley/engine";
import type { z } from "zod";
import { recordAudit } from "../audit";
import { loadBot } from "../bots/bots";
import { isPlatformType } from "../channels/platforms";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { startConversation } from "../conversations/conversations";
import type { ChannelThread } from "../conversations/start";
import { type FieldIssue, notFound, parseInput, ServiceError } from "../errors";
import { configChanged } from "../internal/config-cache";
import { isUuid, newId } from "../internal/ids";

/** The path that fires a trigger. */
export const triggerPath = (botId: string, name: string) => `/api/v1/bots/${botId}/triggers/${name}`;

function toView(row: BotTrigger): TriggerView {
  return {
    id: row.id,
    botId: row.botId,
    name: row.name,
    description: row.description,
    channel: row.channel as Channel,
    flowId: row.flowId,
    variables: row.variables as Record<string, string>,
    enabled: row.enabled,
    url: triggerPath(row.botId, row.name),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Refuses variable mappings that are not JSONata, naming the variable. */
function checkMapping(variables: Record<string, string> | undefined) {
  const errors: FieldIssue[] = [];
  for (const [name, expression] of Object.entries(variables ?? {})) {
    const problem = checkExpressionSyntax(expression);
    if (problem)
      errors.push({ path: `variables.${name}`, message: `not a valid JSONata expression: ${problem}` });
  }
  if (errors.length > 0) {
    throw new ServiceError(
      "invalid",
      "invalid-input",
      `invalid trigger: ${errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
      {
        errors,
      },
    );
  }
}

/** Refuses a flow that is not one of the bot's (naming `flowId`). */
async function checkFlow(ctx: ServiceContext, botId: string, flowId: string | null | undefined) {
  if (!flowId) return;
  const flow = await tenantDb(ctx).flow.findFirst({
    where: { id: flowId, botId, archivedAt: null },
    select: { id: true },
  });
  if (!flow) {
    throw new ServiceError(
      "invalid",
      "invalid-input",
      `invalid trigger: flowId: not a flow of bot ${botId}`,
      {
        errors: [{ path: "flowId", message: "not a flow of this bot" }],
      },
    );
  }
}

async function loadTrigger(ctx: ServiceContext, botId: string, name: string): Promise<BotTrigger> {
  const row = isUuid(botId) ? await tenantDb(ctx).botTrigger.findFirst({ where: { botId, name } }) : null;
  if (!row) throw notFound("trigger", name);
  return row;
}

const nameTaken = (error: unknown, name: string): never => {
  if ((error as { code?: string }).code === "P2002") {
    throw new ServiceError(
      "conflict",
      "trigger-name-taken",
      `the bot has a trigger named "${name}" already`,
      {
        errors: [{ path: "name", message: "already used by another trigger of this bot" }],
      },
    );
  }
  throw error;
};

/**
 * Defines a trigger of a bot: `POST /api/v1/bots/{botId}/triggers/{name}` then starts a
 * conversation on `channel` in `flowId` (default: the entry flow) with variables mapped from the
 * request body by JSONata. Needs `bots:write`; audited.
 */
export async function createTrigger(
  ctx: ServiceContext,
  botId: string,
  input: z.input<typeof createTriggerInputSchema>,
): Promise<TriggerView> {
  authorize(ctx, "bots:write");
  const data = parseInput(createTriggerInputSchema, input, "trigger");
  await loadBot(ctx, botId);
  checkMapping(data.variables);
  await checkFlow(ctx, botId, data.flowId);
  const view = await tenantDb(ctx)
    .$transaction(async (tx) => {
      const row = await tx.botTrigger.create({
        data: {
          id: newId(),
          tenantId: ctx.tenantId,
          botId,
          name: data.name,
          description: data.description ?? null,
          channel: data.channel,
          flowId: data.flowId ?? null,
          variables: data.variables,
          enabled: data.enabled,
        },
      });
      const created = toView(row);
      await recordAudit(tx, ctx, {
        action: "trigger.create",
        targetType: "trigger",
        targetId: row.id,
        after: created,
      });
      return created;
    })
    .catch((error: unknown) => nameTaken(error, data.name));
  await configChanged(ctx.deps);
  return view;
}

/** The bot's triggers, by name. Needs `bots:read`. */
export async function listTriggers(ctx: ServiceContext, botId: string): Promise<TriggerView[]> {
  authorize(ctx, "bots:read");
  await loadBot(ctx, botId);
  const rows = await tenantDb(ctx).botTrigger.findMany({ where: { botId }, orderBy: { name: "asc" } });
  return rows.map(toView);
}

/** Changes a trigger (channel, flow, mapping, enabled). Needs `bots:write`; audited. */
export async function updateTrigger(
  ctx: ServiceContext,
  botId: string,
  name: string,
  input: z.input<typeof updateTriggerInputSchema>,
): Promise<TriggerView> {
  authorize(ctx, "bots:write");
  const data = parseInput(updateTriggerInputSchema, input, "trigger");
  const before = await loadTrigger(ctx, botId, name);
  checkMapping(data.variables);
  await checkFlow(ctx, botId, data.flowId);
  const view = await tenantDb(ctx).$transaction(async (tx) => {
    const row = await tx.botTrigger.update({
      where: { id: before.id },
      data: {
        ...(data.description === undefined ? {} : { description: data.description }),
        ...(data.channel === undefined ? {} : { channel: data.channel }),
        ...(data.flowId === undefined ? {} : { flowId: data.flowId }),
        ...(data.variables === undefined ? {} : { variables: data.variables }),
        ...(data.enabled === undefined ? {} : { enabled: data.enabled }),
      },
    });
    const updated = toView(row);
    await recordAudit(tx, ctx, {
      action: "trigger.update",
      targetType: "trigger",
      targetId: row.id,
      before: toView(before),
      after: updated,
    });
    return updated;
  });
  await configChanged(ctx.deps);
  return view;
}

/** Deletes a trigger (firing it then answers 404). Needs `bots:write`; audited. */
export async function deleteTrigger(ctx: ServiceContext, botId: string, name: string): Promise<void> {
  authorize(ctx, "bots:write");
  const before = await loadTrigger(ctx, botId, name);
  await tenantDb(ctx).$transaction(async (tx) => {
    await tx.botTrigger.delete({ where: { id: before.id } });
    await recordAudit(tx, ctx, {
      action: "trigger.delete",
      targetType: "trigger",
      targetId: before.id,
      before: toView(before),
    });
  });
  await configChanged(ctx.deps);
}

/** The variables a trigger's mapping computes from the request body (undefined results left out). */
async function mappedVariables(trigger: BotTrigger, body: unknown): Promise<Record<string, unknown>> {
  const variables: Record<string, unknown> = {};
  for (const [name, expression] of Object.entries(trigger.variables as Record<string, string>)) {
    try {
      const value = await evaluateExpression(expression, body);
      if (value !== undefined) variables[name] = value;
    } catch (error) {
      throw new ServiceError(
        "invalid",
        "trigger-mapping-failed",
        `the mapping of "${name}" failed: ${(error as Error).message}`,
        {
          errors: [{ path: `variables.${name}`, message: (error as Error).message }],
        },
      );
    }
  }
  return variables;
}

/**
 * Who the conversation is with, as `startConversation` takes it: an existing contact's identity on
 * the trigger's channel (for web and api, an identity is added to the contact when it has none),
 * the given channel identity, or a new contact.
 */
async function contactUser(
  ctx: ServiceContext,
  channel: Channel,
  body: z.output<typeof fireTriggerRequestSchema>,
): Promise<{ id: string; name?: string }> {
  if (body.user) return body.user;
  if (!body.contactId) {
    // A messaging channel can only write to someone it knows the chat of.
    if (isPlatformType(channel)) {
      throw new ServiceError(
        "invalid",
        "trigger-recipient-required",
        `a ${channel} trigger needs \`user\` (the ${channel} chat id) or a \`contactId\` with a ${channel} identity`,
        { errors: [{ path: "user", message: `required on ${channel}` }] },
      );
    }
    return { id: `trigger-${newId()}` };
  }
  const db = tenantDb(ctx);
  const identity = await db.contactIdentity.findFirst({ where: { contactId: body.contactId, channel } });
  if (identity) return { id: identity.externalId };
  const contact = await db.contact.findFirst({ where: { id: body.contactId }, select: { id: true } });
  if (!contact) throw notFound("contact", body.contactId);
  if (channel !== "web" && channel !== "api") {
    throw new ServiceError(
      "conflict",
      "contact-not-on-channel",
      `contact ${body.contactId} has no ${channel} identity to message`,
      {
        errors: [{ path: "contactId", message: `no ${channel} identity` }],
      },
    );
  }
  // web and api identities are ours to mint: link the contact so the conversation is theirs.
  await db.contactIdentity.create({
    data: { id: newId(), tenantId: ctx.tenantId, contactId: contact.id, channel, externalId: contact.id },
  });
  return { id: contact.id };
}

/**
 * The thread a trigger's conversation on a messaging channel is sent on: the bot's enabled channel
 * of that type (the oldest, when it has several) and the person's chat there, which is their
 * identity on the channel (a Telegram chat id, a WhatsApp number, a Messenger PSID). Web and api
 * conversations have none: their messages are in the response (internal).
 */
async function channelThreadOf(
  ctx: ServiceContext,
  botId: string,
  channel: Channel,
  externalUserId: string,
): Promise<ChannelThread | undefined> {
  if (!isPlatformType(channel)) return undefined;
  const config = await tenantDb(ctx).channelConfig.findFirst({
    where: { botId, channel, enabled: true },
    orderBy: { createdAt: "asc" },
    select: { id: true },
  });
  if (!config) {
    throw new ServiceError(
      "conflict",
      "channel-not-connected",
      `the bot has no enabled ${channel} channel to send the trigger's messages on`,
      { errors: [{ path: "channel", message: `connect a ${channel} channel to the bot first` }] },
    );
  }
  return { channelConfigId: config.id, threadId: externalUserId, externalUserId };
}

/**
 * Fires a trigger: starts a conversation (a proactive message) on the trigger's channel in its flow,
 * for the contact the body names (or a new one), with the trigger's mapped variables and the body's
 * `variables`. Runs through `startConversation`, so every channel that can start conversations
 * works. Needs `conversations:write` (a secret key), or a valid signature (see `fireSignedTrigger`).
 */
export async function fireTrigger(
  ctx: ServiceContext,
  botId: string,
  name: string,
  input: unknown,
): Promise<FireTriggerResponse> {
  authorize(ctx, "conversations:write");
  const body = parseInput(fireTriggerRequestSchema, input, "trigger request");
  const trigger = await loadTrigger(ctx, botId, name);
  if (!trigger.enabled)
    throw new ServiceError("conflict", "trigger-disabled", `the trigger "${name}" is disabled`);
  const channel = trigger.channel as Channel;
  const variables = { ...(await mappedVariables(trigger, body)), ...(body.variables ?? {}) };
  const user = await contactUser(ctx, channel, body);
  const thread = await channelThreadOf(ctx, botId, channel, user.id);
  const started = await startConversation(
    ctx,
    botId,
    { user, channel, variables: variables as never },
    { ...(trigger.flowId ? { flowId: trigger.flowId } : {}), ...(thread ? { thread } : {}) },
  );
  const conversation = await tenantDb(ctx).conversation.findFirst({
    where: { id: started.conversationId },
    select: { contactId: true },
  });
  return {
    conversationId: started.conversationId,
    contactId: conversation?.contactId ?? null,
    channel,
    status: started.status,
    messages: started.messages,
  };
}
