import { z } from "zod";
import { idParamsSchema } from "./params";

/** Messaging platforms a bot can be connected to (the web widget and the REST API need no channel). */
export const channelTypeSchema = z.enum(["whatsapp", "messenger", "slack", "teams", "telegram"]);
/** A messaging platform. */
export type ChannelType = z.infer<typeof channelTypeSchema>;

/**
 * A channel's health for people: `active` (enabled, no failure since the last success), `error`
 * (the last inbound or outbound attempt failed: see `lastError`), `disabled`.
 */
export const channelStatusSchema = z.enum(["active", "error", "disabled"]);

const nameSchema = z.string().trim().min(1).max(100);
/** Per-platform objects, checked by the platform adapter's own schema (paths name the bad field). */
const looseObjectSchema = z.record(z.string(), z.unknown());

/** `POST /api/v1/bots/{botId}/channels` body; input of core's `createChannel`. */
export const createChannelInputSchema = z
  .object({
    type: channelTypeSchema,
    name: nameSchema.optional(),
    /**
     * Secrets, checked per platform: slack `{ botToken, signingSecret }`; whatsapp `{ accessToken,
     * appSecret, verifyToken }`; messenger `{ pageAccessToken, appSecret, verifyToken }`; telegram
     * `{ botToken, secretToken? }`; teams `{ appId, appPassword }`. Encrypted; never returned.
     */
    credentials: looseObjectSchema,
    /**
     * Non-secret settings, checked per platform: slack `{ apiUrl? }`; whatsapp `{ phoneNumberId, apiUrl? }`;
     * messenger `{ pageId, apiUrl? }`; telegram `{ apiUrl? }`; teams `{ appTenantId?, openIdMetadataUrl?, tokenUrl? }`.
     */
    settings: looseObjectSchema.default({}),
  })
  .strict();
/** `POST /api/v1/bots/{botId}/channels` body. */
export type CreateChannelInput = z.input<typeof createChannelInputSchema>;

/** `PATCH /api/v1/channels/{channelId}` body: rename, enable/disable, replace credentials or settings. */
export const updateChannelInputSchema = z
  .object({
    name: nameSchema.optional(),
    enabled: z.boolean().optional(),
    /** Replaces all credentials (checked like on creation). */
    credentials: looseObjectSchema.optional(),
    /** Replaces the settings (checked like on creation). */
    settings: looseObjectSchema.optional(),
  })
  .strict();
/** `PATCH /api/v1/channels/{channelId}` body. */
export type UpdateChannelInput = z.input<typeof updateChannelInputSchema>;

/** A connected channel as the API shows it: never its credentials. */
export const channelViewSchema = z.object({
  id: z.string(),
  botId: z.string(),
  type: channelTypeSchema,
  name: z.string(),
  status: channelStatusSchema,
  enabled: z.boolean(),
  /** The one URL the platform calls for this channel (events, interactivity, verification). */
  webhookUrl: z.string(),
  settings: z.record(z.string(), z.unknown()),
  /** When the last verified event arrived, the last reply was delivered, and the last failure. */
  lastInboundAt: z.string().nullable(),
  lastOutboundAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** A connected channel. */
export type ChannelView = z.infer<typeof channelViewSchema>;

/** `POST /api/v1/channels/{channelId}/test-message` body. */
export const channelTestMessageInputSchema = z
  .object({
    /** Where to: Slack channel or user id, Telegram chat id, WhatsApp phone number, Messenger PSID, Teams conversation id. */
    to: z.string().trim().min(1).max(200),
    text: z.string().trim().min(1).max(2_000).optional(),
  })
  .strict();
/** `POST /api/v1/channels/{channelId}/test-message` body. */
export type ChannelTestMessageInput = z.input<typeof channelTestMessageInputSchema>;

/** What a test message did. */
export const channelTestMessageResultSchema = z.object({
  delivered: z.boolean(),
  platformMessageId: z.string().optional(),
  /** Why the platform refused it, when it did. */
  error: z.string().optional(),
});
/** What a test message did. */
export type ChannelTestMessageResult = z.infer<typeof channelTestMessageResultSchema>;

/** `{channelId}` in a path. */
export const channelIdParamsSchema = idParamsSchema("channelId", "The channel's id");
