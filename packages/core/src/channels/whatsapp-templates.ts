import {
  type WhatsAppTemplateSendInput,
  type WhatsAppTemplateSendResult,
  whatsappTemplateSendInputSchema,
} from "@parley/contract";
import type { z } from "zod";
import { authorize, nowOf, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { isUuid } from "../internal/ids";
import { connectionOf, platformHttp } from "./channel-connection";
import { recordChannelOutcome } from "./channel-status";
import { whatsappAdapter, whatsappTemplateCall } from "./platforms/whatsapp/adapter";

/**
 * Sends an approved WhatsApp message template from channel `channelId` to `to`: the only message
 * WhatsApp accepts outside the 24-hour customer-service window (to re-open a conversation, send a
 * reminder). Sent at once, not queued, so the caller learns Meta's verdict: a template Meta refuses
 * (unknown name or language, bad parameters) fails with Meta's message; a throttled or unavailable
 * Graph API fails as unavailable. Answers Meta's message id; delivery receipts come back to the
 * channel's webhook. Needs `channels:manage`.
 */
export async function sendWhatsAppTemplate(
  ctx: ServiceContext,
  channelId: string,
  input: z.input<typeof whatsappTemplateSendInputSchema>,
): Promise<WhatsAppTemplateSendResult> {
  authorize(ctx, "channels:manage");
  const data: WhatsAppTemplateSendInput = parseInput(
    whatsappTemplateSendInputSchema,
    input,
    "template message",
  );
  const row = isUuid(channelId)
    ? await tenantDb(ctx).channelConfig.findFirst({ where: { id: channelId } })
    : null;
  if (!row) throw notFound("channel", channelId);
  if (row.channel !== "whatsapp") {
    throw new ServiceError(
      "invalid",
      "channel-not-whatsapp",
      `channel ${channelId} is a ${row.channel} channel: templates are WhatsApp's`,
    );
  }
  if (!row.enabled)
    throw new ServiceError(
      "conflict",
      "channel-disabled",
      `channel ${channelId} is disabled: enable it to send`,
    );
  const connection = connectionOf(ctx.deps, row);
  const typed = {
    ...connection,
    credentials: whatsappAdapter.credentialsSchema.parse(connection.credentials),
    settings: whatsappAdapter.settingsSchema.parse(connection.settings),
  };
  const result = await whatsappAdapter.send(
    whatsappTemplateCall(data, typed.settings),
    typed,
    platformHttp(ctx.deps),
  );
  if (!result.ok) {
    await recordChannelOutcome(ctx.deps, row.id, {
      kind: "error",
      error: `template ${data.name}: ${result.error}`,
    });
    throw result.retryable
      ? new ServiceError(
          "unavailable",
          "whatsapp-unavailable",
          `the template was not sent: ${result.error}`,
          {
            ...(result.retryAfterMs !== undefined
              ? { retryAfterSeconds: Math.ceil(result.retryAfterMs / 1000) }
              : {}),
          },
        )
      : new ServiceError(
          "invalid",
          "whatsapp-template-refused",
          `the template was not sent: ${result.error}`,
        );
  }
  await recordChannelOutcome(ctx.deps, row.id, { kind: "outbound", at: nowOf(ctx.deps) });
  return { messageId: result.platformMessageId ?? "", to: data.to };
}
