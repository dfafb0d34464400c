import {
  type MessengerCredentials,
  type MessengerSettings,
  messengerCredentialsSchema,
  messengerSettingsSchema,
} from "@parley/contract";
import type { PlatformAdapter } from "../../platform-adapter";
import { sendGraphCall } from "../meta/graph";
import { metaHandshake } from "../meta/handshake";
import { verifyMetaRequest } from "../meta/signature";
import { parseMessenger } from "./parse";
import { renderMessenger } from "./render";

/** The Messenger adapter (Meta's Graph Send API; plain HTTP, as Meta publishes no Node SDK for it). */
export const messengerAdapter: PlatformAdapter<MessengerCredentials, MessengerSettings> = {
  type: "messenger",
  credentialsSchema: messengerCredentialsSchema,
  settingsSchema: messengerSettingsSchema,
  handshake: (request, connection) => metaHandshake(request, connection.credentials.verifyToken),
  verify: async (request, connection) => verifyMetaRequest(request, connection.credentials.appSecret),
  parse: (request, connection) => parseMessenger(request, connection.settings),
  render: (messages, target) => renderMessenger(messages, target),
  send: (call, connection, http) =>
    sendGraphCall(call, call.body, {
      apiUrl: connection.settings.apiUrl,
      accessToken: connection.credentials.pageAccessToken,
      http,
      platform: "Messenger",
    }),
};
