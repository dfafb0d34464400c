import {
  type SlackCredentials,
  type SlackSettings,
  slackCredentialsSchema,
  slackSettingsSchema,
} from "@parley/contract";
import { ErrorCode, type WebAPICallResult, WebClient } from "@slack/web-api";
import type {
  OutboundCall,
  PlatformAdapter,
  PlatformConnection,
  PlatformHttp,
  SendResult,
} from "../../platform-adapter";
import { verifySlackRequest } from "./signature";
import { parseSlackRequest, slackBody } from "./slack-events";
import { renderSlack } from "./slack-render";

/** Slack Web API's default base URL. */
export const SLACK_API_URL = "https://slack.com/api/";

// The schemas live in the contract (the studio's connect form checks with them too).
export { type SlackCredentials, type SlackSettings, slackCredentialsSchema, slackSettingsSchema };

type SlackConnection = PlatformConnection<SlackCredentials, SlackSettings>;

const clients = new Map<string, { http: PlatformHttp; client: WebClient }>();

/**
 * The official Web API client for a connection, over the guarded fetch, with its own retries off:
 * the delivery queue retries (in order, honouring Retry-After) (internal).
 */
function clientOf(connection: SlackConnection, http: PlatformHttp): WebClient {
  const apiUrl = connection.settings.apiUrl ?? SLACK_API_URL;
  const key = `${connection.channelId}\n${apiUrl}\n${connection.credentials.botToken}`;
  const cached = clients.get(key);
  if (cached && cached.http === http) return cached.client;
  const client = new WebClient(connection.credentials.botToken, {
    slackApiUrl: apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`,
    fetch: http as never,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    allowAbsoluteUrls: false,
    timeout: 10_000,
  });
  if (clients.size > 1_000) clients.clear();
  clients.set(key, { http, client });
  return client;
}

/** A Web API error as a send result: rate limits and 5xx are retried, the rest are final. */
function failureOf(error: unknown): SendResult {
  const coded = error as {
    code?: string;
    retryAfter?: number;
    statusCode?: number;
    data?: { error?: string };
    message?: string;
  };
  if (coded.code === ErrorCode.RateLimitedError) {
    return {
      ok: false,
      retryable: true,
      retryAfterMs: (coded.retryAfter ?? 1) * 1000,
      error: "rate limited (429)",
    };
  }
  if (coded.code === ErrorCode.HTTPError) {
    const status = coded.statusCode ?? 0;
    return status >= 500 || status === 408
      ? { ok: false, retryable: true, error: `Slack answered HTTP ${status}` }
      : { ok: false, retryable: false, error: `Slack answered HTTP ${status}` };
  }
  if (coded.code === ErrorCode.PlatformError) {
    return {
      ok: false,
      retryable: false,
      error: `Slack refused the call: ${coded.data?.error ?? "unknown error"}`,
    };
  }
  return { ok: false, retryable: true, error: coded.message ?? String(error) };
}

/**
 * Slack: Events API and interactivity on one Request URL, signed with the app's signing secret
 * (v0, five-minute window); replies through `chat.postMessage` with Block Kit buttons, images and
 * mrkdwn. In channels the bot answers mentions (in a thread) and replies in the threads it takes
 * part in; in direct messages, everything.
 */
export const slackAdapter: PlatformAdapter<SlackCredentials, SlackSettings> = {
  type: "slack",
  credentialsSchema: slackCredentialsSchema,
  settingsSchema: slackSettingsSchema,
  handshake(request) {
    if (request.method !== "POST") return null;
    let body: Record<string, unknown>;
    try {
      body = slackBody(request);
    } catch {
      return null;
    }
    if (body.type !== "url_verification" || typeof body.challenge !== "string") return null;
    return {
      status: 200,
      body: JSON.stringify({ challenge: body.challenge }),
      contentType: "application/json",
    };
  },
  async verify(request, connection, nowMs) {
    return verifySlackRequest(request.headers, request.rawBody, connection.credentials.signingSecret, nowMs);
  },
  parse: (request, connection) =>
    parseSlackRequest(
      request,
      connection.settings.botUserId ? { botUserId: connection.settings.botUserId } : {},
    ),
  render: (messages, target) => renderSlack(messages, target),
  async send(call: OutboundCall, connection, http) {
    try {
      const result = (await clientOf(connection, http).apiCall(
        call.url,
        call.body as Record<string, unknown>,
      )) as WebAPICallResult & {
        ts?: string;
      };
      return { ok: true, ...(result.ts ? { platformMessageId: result.ts } : {}) };
    } catch (error) {
      return failureOf(error);
    }
  },
  async connect(_webhookUrl, connection, http) {
    try {
      const result = (await clientOf(connection, http).auth.test()) as { team_id?: string; user_id?: string };
      return {
        ok: true,
        settings: {
          ...(result.team_id ? { teamId: result.team_id } : {}),
          ...(result.user_id ? { botUserId: result.user_id } : {}),
        },
      };
    } catch (error) {
      const failure = failureOf(error);
      return {
        ok: false,
        error: failure.ok ? "unknown" : `the bot token was not accepted (${failure.error})`,
      };
    }
  },
};
