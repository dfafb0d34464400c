import {
  type TeamsCredentials,
  type TeamsSettings,
  teamsCredentialsSchema,
  teamsSettingsSchema,
  teamsTokenUrl,
} from "@parley/contract";
import { allowedHostsFromEnv } from "@parley/infra";
import type { PlatformAdapter } from "../../platform-adapter";
import { networkFailure, outcomeOf, pickString } from "../shared/http-outcome";
import { BotFrameworkTokenVerifier } from "./jwt";
import { parseTeams, readActivity } from "./parse";
import { renderTeams } from "./render";
import { serviceUrlProblem } from "./service-url";
import { BotTokenCache, BotTokenError } from "./token";

/** Options of {@link createTeamsAdapter}. */
export interface TeamsAdapterOptions {
  /** Hosts replies may go to besides the Bot Connector's (default: `PARLEY_OUTBOUND_ALLOWED_HOSTS`). */
  allowedHosts?: () => readonly string[];
  /** The clock bot tokens are cached against. */
  now?: () => number;
}

/**
 * The Microsoft Teams adapter over the Bot Framework's REST protocol: inbound JWTs checked with
 * `jose` against the published JWKS, replies posted to the Bot Connector with a client-credentials
 * token. `botbuilder`/`botframework-connector` are not used: they pull in their own HTTP stack
 * (which would bypass the guarded client) and a large dependency tree for three REST calls.
 */
export function createTeamsAdapter(
  options: TeamsAdapterOptions = {},
): PlatformAdapter<TeamsCredentials, TeamsSettings> {
  const allowedHosts = options.allowedHosts ?? (() => allowedHostsFromEnv(process.env));
  const now = options.now ?? Date.now;
  const verifier = new BotFrameworkTokenVerifier();
  const tokens = new BotTokenCache();

  return {
    type: "teams",
    credentialsSchema: teamsCredentialsSchema,
    settingsSchema: teamsSettingsSchema,
    handshake: () => null,
    async verify(request, connection, nowMs, http) {
      if (request.method !== "POST")
        return { ok: false, status: 401, reason: "the Bot Framework only POSTs activities" };
      const activity = readActivity(request);
      return verifier.verify({
        authorization: request.headers.authorization,
        appId: connection.credentials.appId,
        activityServiceUrl: typeof activity?.serviceUrl === "string" ? activity.serviceUrl : undefined,
        activityChannelId: typeof activity?.channelId === "string" ? activity.channelId : undefined,
        openIdMetadataUrl: connection.settings.openIdMetadataUrl,
        nowMs,
        http,
      });
    },
    parse: (request) => parseTeams(request),
    render: (messages, target) => renderTeams(messages, target),
    async send(call, connection, client) {
      const problem = serviceUrlProblem(call.url, allowedHosts());
      if (problem) return { ok: false, retryable: false, error: `Teams reply not sent: ${problem}` };
      const tokenUrl = teamsTokenUrl(connection.settings);
      let token: string;
      try {
        token = await tokens.token({
          tokenUrl,
          appId: connection.credentials.appId,
          appPassword: connection.credentials.appPassword,
          http: client,
          nowMs: now(),
        });
      } catch (error) {
        if (error instanceof BotTokenError) {
          return error.retryable
            ? { ok: false, retryable: true, error: `Teams: ${error.message}` }
            : { ok: false, retryable: false, error: `Teams: ${error.message}` };
        }
        return networkFailure("the Bot Framework token endpoint", error);
      }
      let response: Response;
      try {
        response = await client(call.url, {
          method: call.method,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify(call.body),
        });
      } catch (error) {
        return networkFailure("the Teams connector", error);
      }
      if (response.status === 401 || response.status === 403)
        tokens.forget(tokenUrl, connection.credentials.appId);
      return outcomeOf(response, {
        platform: "the Teams connector",
        describeError: (body) => pickString(body, "error", "message") ?? pickString(body, "message"),
        messageIdOf: (body) => pickString(body, "id"),
      });
    },
  };
}

/** The Teams adapter with the process's outbound allowlist. */
export const teamsAdapter = createTeamsAdapter();
