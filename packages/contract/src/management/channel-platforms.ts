import { z } from "zod";

/**
 * Credentials and settings of the WhatsApp (Cloud API), Messenger and Microsoft Teams (Bot Framework)
 * channels, as `POST /api/v1/bots/{botId}/channels` takes them, and the WhatsApp template send.
 * Credentials are stored only as vault ciphertext and never returned; settings are returned.
 */

/** The Graph API base URL Meta's channels call unless a channel names another (proxies, tests). */
export const DEFAULT_GRAPH_API_URL = "https://graph.facebook.com/v21.0/";
/** The Bot Framework's published OpenID metadata (where the signing keys of inbound activities are listed). */
export const DEFAULT_BOT_FRAMEWORK_OPENID_METADATA_URL =
  "https://login.botframework.com/v1/.well-known/openidconfiguration";
/** The Bot Framework's token endpoint for multi-tenant bots (client credentials). */
export const DEFAULT_BOT_FRAMEWORK_TOKEN_URL =
  "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token";

const secret = (what: string) => z.string().trim().min(1, `${what} is required`).max(4096);
const httpUrl = (field: string, example: string) =>
  z.url({ protocol: /^https?$/, error: `${field} must be an http(s) URL such as ${example}` });

/** `apiUrl` of a Meta channel: an http(s) URL, kept with a trailing slash so relative calls resolve under it. */
export const graphApiUrlSchema = httpUrl("apiUrl", DEFAULT_GRAPH_API_URL)
  .transform((url) => (url.endsWith("/") ? url : `${url}/`))
  .default(DEFAULT_GRAPH_API_URL);

/** WhatsApp Cloud API credentials: the system-user token, the app secret (signatures) and the verify token (handshake). */
export const whatsappCredentialsSchema = z
  .object({
    accessToken: secret("accessToken").describe(
      "A system-user access token with whatsapp_business_messaging",
    ),
    appSecret: secret("appSecret").describe("The Meta app's secret: X-Hub-Signature-256 is checked with it"),
    verifyToken: secret("verifyToken").describe(
      "Any string; Meta sends it back when you subscribe the webhook",
    ),
  })
  .strict();
/** WhatsApp Cloud API credentials. */
export type WhatsAppCredentials = z.infer<typeof whatsappCredentialsSchema>;

/** WhatsApp settings: which business phone number sends, and the Graph API base URL. */
export const whatsappSettingsSchema = z
  .object({
    phoneNumberId: z
      .string()
      .trim()
      .regex(
        /^\d{1,32}$/,
        "phoneNumberId is the numeric Phone number ID from WhatsApp Manager, not the phone number",
      ),
    apiUrl: graphApiUrlSchema,
  })
  .strict();
/** WhatsApp settings. */
export type WhatsAppSettings = z.infer<typeof whatsappSettingsSchema>;

/** Messenger credentials: the page token, the app secret (signatures) and the verify token (handshake). */
export const messengerCredentialsSchema = z
  .object({
    pageAccessToken: secret("pageAccessToken").describe("The Facebook Page's access token (pages_messaging)"),
    appSecret: secret("appSecret").describe("The Meta app's secret: X-Hub-Signature-256 is checked with it"),
    verifyToken: secret("verifyToken").describe(
      "Any string; Meta sends it back when you subscribe the webhook",
    ),
  })
  .strict();
/** Messenger credentials. */
export type MessengerCredentials = z.infer<typeof messengerCredentialsSchema>;

/** Messenger settings: the page and the Graph API base URL. */
export const messengerSettingsSchema = z
  .object({
    pageId: z
      .string()
      .trim()
      .regex(/^\d{1,32}$/, "pageId is the Facebook Page's numeric ID"),
    apiUrl: graphApiUrlSchema,
  })
  .strict();
/** Messenger settings. */
export type MessengerSettings = z.infer<typeof messengerSettingsSchema>;

/** Teams (Bot Framework) credentials: the Azure bot's app id and client secret. */
export const teamsCredentialsSchema = z
  .object({
    appId: secret("appId").describe("The Microsoft App ID of the Azure Bot resource"),
    appPassword: secret("appPassword").describe("A client secret of that app registration"),
  })
  .strict();
/** Teams credentials. */
export type TeamsCredentials = z.infer<typeof teamsCredentialsSchema>;

/** Teams settings: the tenant of a single-tenant bot, and the Bot Framework endpoints (defaults: the published ones). */
export const teamsSettingsSchema = z
  .object({
    appTenantId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9.-]{1,100}$/, "appTenantId is a tenant id (a GUID) or domain")
      .optional()
      .describe("Set for a single-tenant bot: tokens then come from that tenant's endpoint"),
    openIdMetadataUrl: httpUrl("openIdMetadataUrl", DEFAULT_BOT_FRAMEWORK_OPENID_METADATA_URL)
      .default(DEFAULT_BOT_FRAMEWORK_OPENID_METADATA_URL)
      .describe("Where the signing keys of inbound activities are published"),
    tokenUrl: httpUrl("tokenUrl", DEFAULT_BOT_FRAMEWORK_TOKEN_URL)
      .optional()
      .describe("Token endpoint; default: the Bot Framework's, or the tenant's when appTenantId is set"),
  })
  .strict();
/** Teams settings. */
export type TeamsSettings = z.infer<typeof teamsSettingsSchema>;

/** The token endpoint a Teams channel uses: its own `tokenUrl`, else its tenant's, else the Bot Framework's. */
export function teamsTokenUrl(settings: TeamsSettings): string {
  if (settings.tokenUrl) return settings.tokenUrl;
  if (settings.appTenantId) {
    return `https://login.microsoftonline.com/${encodeURIComponent(settings.appTenantId)}/oauth2/v2.0/token`;
  }
  return DEFAULT_BOT_FRAMEWORK_TOKEN_URL;
}

/** What a tenant pastes from the Slack app's settings: the bot token and the signing secret. */
export const slackCredentialsSchema = z
  .object({
    botToken: z.string().trim().min(1, "the Bot User OAuth Token (xoxb-...) is required"),
    signingSecret: z.string().trim().min(1, "the app's Signing Secret is required"),
  })
  .strict();
/** Slack credentials. */
export type SlackCredentials = z.infer<typeof slackCredentialsSchema>;

/** Non-secret Slack settings: the Web API base URL (proxies, tests). */
export const slackSettingsSchema = z
  .object({
    apiUrl: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
    /** Filled by connect (auth.test): the workspace and the bot user. */
    teamId: z.string().optional(),
    botUserId: z.string().optional(),
  })
  .strict();
/** Slack settings. */
export type SlackSettings = z.infer<typeof slackSettingsSchema>;

/**
 * From @BotFather: the bot token, and the webhook's secret token (the channel generates one when
 * it is left out).
 */
export const telegramCredentialsSchema = z
  .object({
    botToken: z
      .string()
      .trim()
      .regex(/^\d+:[A-Za-z0-9_-]+$/, "must be the token @BotFather gave, like 123456:ABC-DEF..."),
    secretToken: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, "must be 1-256 letters, digits, _ or -")
      .optional(),
  })
  .strict();

/** Non-secret Telegram settings: the Bot API base URL (local Bot API servers, tests). */
export const telegramSettingsSchema = z
  .object({
    apiUrl: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
    /** Filled by connect: the bot's username. */
    botUsername: z.string().optional(),
  })
  .strict();
/** Telegram settings. */
export type TelegramSettings = z.infer<typeof telegramSettingsSchema>;

/**
 * `POST /api/v1/channels/{channelId}/whatsapp/templates`: sends an approved message template, the
 * only kind of message WhatsApp accepts outside the 24-hour customer-service window.
 * `components` is passed to the Cloud API as is (header/body/button parameters).
 */
export const whatsappTemplateSendInputSchema = z
  .object({
    to: z
      .string()
      .trim()
      .regex(
        /^\+?\d{6,20}$/,
        "to is the recipient's phone number in international format, digits only (e.g. 15551234567)",
      )
      .transform((to) => to.replace(/^\+/, ""))
      .describe("Recipient phone number (WhatsApp id), international format"),
    name: z
      .string()
      .trim()
      .regex(/^[a-z0-9_]{1,512}$/, "name is the template's name as approved (lower-case letters, digits, _)")
      .describe("Template name"),
    language: z
      .string()
      .trim()
      .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, "language is the template's language code, e.g. en or en_US")
      .describe("Template language code"),
    components: z
      .array(z.record(z.string(), z.unknown()))
      .max(20)
      .optional()
      .describe("Template components with their parameters, as the Cloud API takes them"),
  })
  .strict();
/** A WhatsApp template send. */
export type WhatsAppTemplateSendInput = z.infer<typeof whatsappTemplateSendInputSchema>;

/** The answer of a template send: Meta's message id (delivery receipts come back to the webhook with it). */
export const whatsappTemplateSendResultSchema = z.object({
  messageId: z.string().describe("The WhatsApp message id (wamid...)"),
  to: z.string(),
});
/** The answer of a template send. */
export type WhatsAppTemplateSendResult = z.infer<typeof whatsappTemplateSendResultSchema>;
