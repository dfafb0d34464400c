import type { ChannelType } from "@parley/contract";

/** One field of a platform's connect form: where it goes, what it is and where to find it. */
export interface PlatformField {
  /** `credentials.<name>` or `settings.<name>` (the path the server names in its errors). */
  path: string;
  label: string;
  help: string;
  secret?: boolean;
  optional?: boolean;
  placeholder?: string;
  /**
   * A value the tenant chooses and pastes on the platform's side too (Meta's verify token): the
   * wizard proposes a random one, shown in the clear with a copy button.
   */
  generated?: boolean;
}

/** A platform as the connect wizard presents it. */
export interface PlatformGuide {
  type: ChannelType;
  label: string;
  /** What to do on the platform's side once connected. */
  steps: string[];
  fields: PlatformField[];
  /** Where the "send a test message" recipient comes from. */
  testRecipient: string;
}

/** The connect wizard's guide per platform (the field paths match the API's `credentials`/`settings`). */
export const platformGuides: PlatformGuide[] = [
  {
    type: "slack",
    label: "Slack",
    steps: [
      "Create a Slack app (api.slack.com/apps), add the bot scopes chat:write, app_mentions:read, im:history and channels:history, and install it.",
      "Paste the Bot User OAuth Token and the Signing Secret below and connect.",
      "Under Event Subscriptions and Interactivity, set the Request URL to the webhook URL shown after connecting; subscribe to app_mention, message.im and message.channels (replies in the bot's threads).",
    ],
    fields: [
      {
        path: "credentials.botToken",
        label: "Bot User OAuth Token",
        help: "OAuth & Permissions → Bot User OAuth Token (xoxb-…).",
        secret: true,
        placeholder: "xoxb-…",
      },
      {
        path: "credentials.signingSecret",
        label: "Signing Secret",
        help: "Basic Information → App Credentials → Signing Secret.",
        secret: true,
      },
      {
        path: "settings.apiUrl",
        label: "Web API URL",
        help: "Only for a proxy; default https://slack.com/api/.",
        optional: true,
        placeholder: "https://slack.com/api/",
      },
    ],
    testRecipient: "a channel id (C…) the app is in, or a user id (U…)",
  },
  {
    type: "telegram",
    label: "Telegram",
    steps: [
      "Create a bot with @BotFather (/newbot) and copy its token.",
      "Paste the token and connect: Parley registers its webhook with Telegram (setWebhook) and a secret token.",
    ],
    fields: [
      {
        path: "credentials.botToken",
        label: "Bot token",
        help: "The token @BotFather gave (123456:ABC-…).",
        secret: true,
        placeholder: "123456:ABC-…",
      },
      {
        path: "credentials.secretToken",
        label: "Secret token",
        help: "Generated when left empty; Telegram sends it with every update.",
        secret: true,
        optional: true,
      },
      {
        path: "settings.apiUrl",
        label: "Bot API URL",
        help: "Only for a local Bot API server; default https://api.telegram.org/.",
        optional: true,
      },
    ],
    testRecipient: "a chat id (message the bot first; the chat id is in the conversation)",
  },
  {
    type: "whatsapp",
    label: "WhatsApp",
    steps: [
      "In Meta for Developers, add WhatsApp to your app and note the phone number id.",
      "Choose a verify token (any string), connect, then set the callback URL to the webhook URL and the same verify token; subscribe to messages.",
    ],
    fields: [
      {
        path: "credentials.accessToken",
        label: "Access token",
        help: "A system user's permanent token with whatsapp_business_messaging.",
        secret: true,
      },
      {
        path: "credentials.appSecret",
        label: "App secret",
        help: "App settings → Basic → App secret (signs webhooks).",
        secret: true,
      },
      {
        path: "credentials.verifyToken",
        label: "Verify token",
        help: "Proposed at random (or type your own); copy it into Meta's webhook settings with the webhook URL.",
        generated: true,
      },
      {
        path: "settings.phoneNumberId",
        label: "Phone number id",
        help: "WhatsApp → API Setup → Phone number ID.",
      },
      {
        path: "settings.apiUrl",
        label: "Graph API URL",
        help: "Default https://graph.facebook.com/v21.0/.",
        optional: true,
      },
    ],
    testRecipient: "a phone number in international format (inside the 24-hour window)",
  },
  {
    type: "messenger",
    label: "Messenger",
    steps: [
      "In Meta for Developers, add Messenger to your app and generate a Page access token.",
      "Choose a verify token, connect, then set the callback URL to the webhook URL and the same verify token; subscribe to messages and messaging_postbacks.",
    ],
    fields: [
      {
        path: "credentials.pageAccessToken",
        label: "Page access token",
        help: "Messenger → Settings → Access Tokens.",
        secret: true,
      },
      {
        path: "credentials.appSecret",
        label: "App secret",
        help: "App settings → Basic → App secret.",
        secret: true,
      },
      {
        path: "credentials.verifyToken",
        label: "Verify token",
        help: "Proposed at random (or type your own); copy it into Meta's webhook settings with the webhook URL.",
        generated: true,
      },
      { path: "settings.pageId", label: "Page id", help: "The Facebook Page's id." },
      {
        path: "settings.apiUrl",
        label: "Graph API URL",
        help: "Default https://graph.facebook.com/v21.0/.",
        optional: true,
      },
    ],
    testRecipient: "a page-scoped user id (PSID) of someone who messaged the page",
  },
  {
    type: "teams",
    label: "Microsoft Teams",
    steps: [
      "Register an Azure Bot and note its Microsoft App ID and a client secret.",
      "Connect, then set the bot's messaging endpoint to the webhook URL and add the Teams channel.",
    ],
    fields: [
      {
        path: "credentials.appId",
        label: "Microsoft App ID",
        help: "Azure Bot → Configuration → Microsoft App ID.",
      },
      {
        path: "credentials.appPassword",
        label: "Client secret",
        help: "Certificates & secrets of the app registration.",
        secret: true,
      },
      {
        path: "settings.appTenantId",
        label: "App tenant id",
        help: "Only for single-tenant bots.",
        optional: true,
      },
    ],
    testRecipient: "a Teams conversation id",
  },
];

/** A random verify token (24 bytes, hex): works in any browser context, secure or not. */
export function randomVerifyToken(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The wizard's starting values for a platform: generated fields filled in. */
export function initialValuesOf(guide: PlatformGuide): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of guide.fields) if (field.generated) values[field.path] = randomVerifyToken();
  return values;
}

/** Splits form values keyed by path into the API's `credentials` and `settings` (empty optional fields left out). */
export function channelPartsOf(values: Readonly<Record<string, string>>) {
  const credentials: Record<string, string> = {};
  const settings: Record<string, string> = {};
  for (const [path, raw] of Object.entries(values)) {
    const value = raw.trim();
    if (value === "") continue;
    const [part, name] = path.split(".") as ["credentials" | "settings", string];
    (part === "credentials" ? credentials : settings)[name] = value;
  }
  return { credentials, settings };
}
