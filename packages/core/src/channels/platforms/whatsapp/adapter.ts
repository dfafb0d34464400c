import {
  type WhatsAppCredentials,
  type WhatsAppSettings,
  type WhatsAppTemplateSendInput,
  whatsappCredentialsSchema,
  whatsappSettingsSchema,
} from "@parley/contract";
import type {
  OutboundCall,
  PlatformAdapter,
  PlatformConnection,
  PlatformHttp,
  SendResult,
} from "../../platform-adapter";
import { sendGraphCall } from "../meta/graph";
import { metaHandshake } from "../meta/handshake";
import { verifyMetaRequest } from "../meta/signature";
import { parseWhatsApp } from "./parse";
import { renderWhatsApp, WHATSAPP_WINDOW_MS, type WhatsAppCallBody } from "./render";

/** A WhatsApp channel as the adapter sees it. */
export type WhatsAppConnection = PlatformConnection<WhatsAppCredentials, WhatsAppSettings>;

/** Options of {@link createWhatsAppAdapter}. */
export interface WhatsAppAdapterOptions {
  /** The clock the 24-hour window is checked against (tests move it). */
  now?: () => number;
}

/** The WhatsApp Cloud API adapter (Meta's Graph API; plain HTTP, as Meta publishes no Node SDK for it). */
export function createWhatsAppAdapter(
  options: WhatsAppAdapterOptions = {},
): PlatformAdapter<WhatsAppCredentials, WhatsAppSettings> {
  const now = options.now ?? Date.now;
  return {
    type: "whatsapp",
    credentialsSchema: whatsappCredentialsSchema,
    settingsSchema: whatsappSettingsSchema,
    handshake: (request, connection) => metaHandshake(request, connection.credentials.verifyToken),
    verify: async (request, connection) => verifyMetaRequest(request, connection.credentials.appSecret),
    parse: (request, connection) => parseWhatsApp(request, connection.settings),
    render: (messages, target, connection) => renderWhatsApp(messages, target, connection.settings),
    send: (call, connection, http) => sendWhatsAppCall(call, connection, http, now()),
  };
}

/** The WhatsApp adapter with the system clock. */
export const whatsappAdapter = createWhatsAppAdapter();

/**
 * Sends one rendered call, refusing a free-form message once the contact's 24-hour window has closed
 * (Meta would refuse it with error 131047; refusing here says why and costs no call).
 */
export async function sendWhatsAppCall(
  call: OutboundCall,
  connection: WhatsAppConnection,
  http: PlatformHttp,
  nowMs: number,
): Promise<SendResult> {
  const body = call.body as WhatsAppCallBody;
  const templatesHint = `only approved template messages can be sent now (POST /api/v1/channels/${connection.channelId}/whatsapp/templates)`;
  if (body.windowClosesAtMs !== undefined && nowMs > body.windowClosesAtMs) {
    const lastInbound = new Date(body.windowClosesAtMs - WHATSAPP_WINDOW_MS).toISOString();
    return {
      ok: false,
      retryable: false,
      error: `WhatsApp's 24-hour customer service window is closed (the contact last wrote at ${lastInbound}, more than 24 hours ago): ${templatesHint}`,
    };
  }
  const result = await sendGraphCall(call, body.payload, {
    apiUrl: connection.settings.apiUrl,
    accessToken: connection.credentials.accessToken,
    http,
    platform: "WhatsApp",
  });
  // Meta's own verdict when the window was unknown here (131047 "Re-engagement message").
  if (!result.ok && result.error.includes("(#131047)")) {
    return {
      ok: false,
      retryable: false,
      error: `WhatsApp's 24-hour customer service window is closed: ${templatesHint} (${result.error})`,
    };
  }
  return result;
}

/** The call that sends an approved template; allowed outside the 24-hour window. */
export function whatsappTemplateCall(
  input: WhatsAppTemplateSendInput,
  settings: WhatsAppSettings,
): OutboundCall {
  return {
    kind: "template",
    method: "POST",
    url: `${encodeURIComponent(settings.phoneNumberId)}/messages`,
    body: {
      payload: {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: input.to,
        type: "template",
        template: {
          name: input.name,
          language: { code: input.language },
          ...(input.components ? { components: input.components } : {}),
        },
      },
    } satisfies WhatsAppCallBody,
  };
}
