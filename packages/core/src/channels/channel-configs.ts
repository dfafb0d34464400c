import {
  type ChannelTestMessageResult,
  type ChannelView,
  channelTestMessageInputSchema,
  createChannelInputSchema,
  updateChannelInputSchema,
} from "@parley/contract";
import type { ChannelConfig } from "@parley/db";
import type { z } from "zod";
import { recordAudit } from "../audit";
import { authorize, nowOf, type ServiceContext, tenantDb } from "../context";
import { type FieldIssue, issuesOf, notFound, parseInput, ServiceError } from "../errors";
import { configChanged } from "../internal/config-cache";
import { isUuid, newId } from "../internal/ids";
import {
  channelViewOf,
  channelWebhookUrl,
  connectionOf,
  encryptCredentials,
  platformHttp,
} from "./channel-connection";
import { recordChannelOutcome } from "./channel-status";
import type { PlatformAdapter, PlatformConnection, PlatformType } from "./platform-adapter";
import { adapterOf } from "./platforms";

/** Parses a platform object with the adapter's schema; field paths start with `prefix` (internal). */
function parsePlatformPart(
  schema: z.ZodType,
  value: unknown,
  prefix: "credentials" | "settings",
  type: PlatformType,
): { value: unknown; errors: FieldIssue[] } {
  const result = schema.safeParse(value ?? {});
  if (result.success) return { value: result.data, errors: [] };
  return {
    value: undefined,
    errors: issuesOf(result.error).map((issue) => ({
      path: issue.path === "(body)" ? prefix : `${prefix}.${issue.path}`,
      message: `${issue.message} (${type})`,
    })),
  };
}

/** Credentials and settings checked by the platform's adapter, or an `invalid` error naming each bad field. */
function platformParts(
  adapter: PlatformAdapter<unknown, unknown>,
  credentials: unknown,
  settings: unknown,
): { credentials: unknown; settings: unknown } {
  const parsedCredentials = parsePlatformPart(
    adapter.credentialsSchema,
    credentials,
    "credentials",
    adapter.type,
  );
  const parsedSettings = parsePlatformPart(adapter.settingsSchema, settings, "settings", adapter.type);
  const errors = [...parsedCredentials.errors, ...parsedSettings.errors];
  if (errors.length > 0) {
    throw new ServiceError(
      "invalid",
      "invalid-channel",
      `invalid ${adapter.type} channel: ${errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
      { errors },
    );
  }
  return { credentials: parsedCredentials.value, settings: parsedSettings.value };
}

/** Runs the adapter's connect step (Telegram `setWebhook`, token checks); its settings are kept (internal). */
async function connectPlatform(
  ctx: ServiceContext,
  adapter: PlatformAdapter<unknown, unknown>,
  connection: PlatformConnection<unknown, unknown>,
): Promise<Record<string, unknown>> {
  if (!adapter.connect) return connection.settings as Record<string, unknown>;
  const result = await adapter
    .connect(connection.webhookUrl, connection, platformHttp(ctx.deps))
    .catch((error: unknown) => ({
      ok: false as const,
      error: error instanceof Error ? error.message : String(error),
    }));
  if (!result.ok) {
    throw new ServiceError(
      "invalid",
      "channel-connect-failed",
      `could not connect the ${adapter.type} channel: ${result.error}`,
      { errors: [{ path: "credentials", message: result.error }] },
    );
  }
  return { ...(connection.settings as Record<string, unknown>), ...(result.settings ?? {}) };
}

async function loadChannel(ctx: ServiceContext, channelId: string): Promise<ChannelConfig> {
  const row = isUuid(channelId)
    ? await tenantDb(ctx).channelConfig.findFirst({ where: { id: channelId } })
    : null;
  if (!row) throw notFound("channel", channelId);
  return row;
}

/**
 * Connects a bot to a messaging platform: the platform adapter checks `credentials` and `settings`
 * (each bad field named), runs its connect step (Telegram `setWebhook` with the webhook URL and the
 * secret token), and the credentials are stored encrypted only. Answers the channel with its
 * `webhookUrl`, never the credentials. Needs `channels:manage`.
 */
export async function createChannel(
  ctx: ServiceContext,
  botId: string,
  input: z.input<typeof createChannelInputSchema>,
): Promise<ChannelView> {
  authorize(ctx, "channels:manage");
  const data = parseInput(createChannelInputSchema, input, "channel");
  const bot = isUuid(botId)
    ? await tenantDb(ctx).bot.findFirst({
        where: { id: botId, archivedAt: null },
        select: { id: true, name: true },
      })
    : null;
  if (!bot) throw notFound("bot", botId);
  const adapter = adapterOf(data.type);
  const parts = platformParts(adapter, data.credentials, data.settings);
  const id = newId();
  const connection: PlatformConnection<unknown, unknown> = {
    channelId: id,
    credentials: parts.credentials,
    settings: parts.settings,
    webhookUrl: channelWebhookUrl(ctx.deps, id),
  };
  const settings = await connectPlatform(ctx, adapter, connection);
  const secret = encryptCredentials(ctx.deps, ctx.tenantId, id, parts.credentials);
  const view = await tenantDb(ctx).$transaction(async (tx) => {
    const row = await tx.channelConfig.create({
      data: {
        id,
        tenantId: ctx.tenantId,
        botId: bot.id,
        channel: data.type,
        name: data.name ?? `${bot.name} on ${data.type}`,
        config: settings as never,
        ...secret,
      },
    });
    const created = channelViewOf(ctx.deps, row);
    await recordAudit(tx, ctx, {
      action: "channel.create",
      targetType: "channel",
      targetId: id,
      after: created,
    });
    return created;
  });
  await configChanged(ctx.deps);
  return view;
}

/** The bot's channels (never their credentials). Needs `channels:manage`. */
export async function listChannels(ctx: ServiceContext, botId: string): Promise<ChannelView[]> {
  authorize(ctx, "channels:manage");
  const bot = isUuid(botId)
    ? await tenantDb(ctx).bot.findFirst({ where: { id: botId }, select: { id: true } })
    : null;
  if (!bot) throw notFound("bot", botId);
  const rows = await tenantDb(ctx).channelConfig.findMany({
    where: { botId },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((row) => channelViewOf(ctx.deps, row));
}

/** One channel with its live status. Needs `channels:manage`. */
export async function getChannel(ctx: ServiceContext, channelId: string): Promise<ChannelView> {
  authorize(ctx, "channels:manage");
  return channelViewOf(ctx.deps, await loadChannel(ctx, channelId));
}

/**
 * Renames, enables or disables a channel, or replaces its credentials or settings (checked by the
 * adapter as on creation; the connect step runs again). A disabled channel answers its platform's
 * webhooks with 403 and sends nothing. Needs `channels:manage`.
 */
export async function updateChannel(
  ctx: ServiceContext,
  channelId: string,
  input: z.input<typeof updateChannelInputSchema>,
): Promise<ChannelView> {
  authorize(ctx, "channels:manage");
  const data = parseInput(updateChannelInputSchema, input, "channel");
  const before = await loadChannel(ctx, channelId);
  const adapter = adapterOf(before.channel as PlatformType);
  let secret = {};
  let settings: Record<string, unknown> | undefined;
  if (data.credentials !== undefined || data.settings !== undefined) {
    const current = connectionOf(ctx.deps, before);
    const parts = platformParts(
      adapter,
      data.credentials ?? current.credentials,
      data.settings ?? current.settings,
    );
    settings = await connectPlatform(ctx, adapter, { ...current, ...parts });
    if (data.credentials !== undefined)
      secret = encryptCredentials(ctx.deps, ctx.tenantId, before.id, parts.credentials);
  }
  const view = await tenantDb(ctx).$transaction(async (tx) => {
    const row = await tx.channelConfig.update({
      where: { id: before.id },
      data: {
        ...(data.name === undefined ? {} : { name: data.name }),
        ...(data.enabled === undefined ? {} : { enabled: data.enabled }),
        ...(settings === undefined ? {} : { config: settings as never }),
        ...secret,
      },
    });
    const updated = channelViewOf(ctx.deps, row);
    await recordAudit(tx, ctx, {
      action: "channel.update",
      targetType: "channel",
      targetId: before.id,
      before: channelViewOf(ctx.deps, before),
      after: updated,
    });
    return updated;
  });
  await configChanged(ctx.deps);
  return view;
}

/**
 * Disconnects a channel: its credentials are deleted, its webhook answers 404, and its
 * conversations stay in the transcript. Needs `channels:manage`.
 */
export async function deleteChannel(ctx: ServiceContext, channelId: string): Promise<void> {
  authorize(ctx, "channels:manage");
  const before = await loadChannel(ctx, channelId);
  await tenantDb(ctx).$transaction(async (tx) => {
    await tx.channelConfig.delete({ where: { id: before.id } });
    await recordAudit(tx, ctx, {
      action: "channel.delete",
      targetType: "channel",
      targetId: before.id,
      before: channelViewOf(ctx.deps, before),
    });
  });
  await configChanged(ctx.deps);
}

/**
 * Sends one text message to `to` (a Slack channel or user, a Telegram chat, ...) right away, to
 * check the credentials; the outcome shows in the channel's status. Needs `channels:manage`.
 */
export async function sendChannelTestMessage(
  ctx: ServiceContext,
  channelId: string,
  input: z.input<typeof channelTestMessageInputSchema>,
): Promise<ChannelTestMessageResult> {
  authorize(ctx, "channels:manage");
  const data = parseInput(channelTestMessageInputSchema, input, "test message");
  const row = await loadChannel(ctx, channelId);
  const adapter = adapterOf(row.channel as PlatformType);
  const connection = connectionOf(ctx.deps, row);
  const calls = adapter.render(
    [
      {
        type: "text",
        nodeId: "",
        text: data.text ?? "Test message from Parley: this channel is connected.",
        format: "plain",
        source: "system",
      },
    ],
    { threadId: data.to, externalUserId: data.to, replyContext: {} },
    connection,
  );
  const http = platformHttp(ctx.deps);
  let platformMessageId: string | undefined;
  for (const call of calls) {
    const result = await adapter
      .send(call, connection, http)
      .catch((error: unknown) => ({ ok: false as const, retryable: false as const, error: String(error) }));
    if (!result.ok) {
      await recordChannelOutcome(ctx.deps, row.id, { kind: "error", error: `test message: ${result.error}` });
      return { delivered: false, error: result.error };
    }
    platformMessageId = result.platformMessageId ?? platformMessageId;
  }
  await recordChannelOutcome(ctx.deps, row.id, { kind: "outbound", at: nowOf(ctx.deps) });
  return { delivered: true, ...(platformMessageId ? { platformMessageId } : {}) };
}
