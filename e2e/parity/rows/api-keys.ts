import { createApiKey } from "@parley/core";
import { type AnyParityRow, parityRow } from "../row";

/** API keys: list, create, revoke. */
export const apiKeyRows: readonly AnyParityRow[] = [
  parityRow({
    name: "list API keys",
    permission: "apiKeys:manage",
    audit: null,
    studio: { procedure: "apiKeys.list", input: () => undefined },
    rest: { method: "GET", path: () => "/api/v1/api-keys" },
  }),
  parityRow({
    name: "create an API key",
    permission: "apiKeys:manage",
    audit: { action: "api_key.create", targetType: "api_key" },
    studio: {
      procedure: "apiKeys.create",
      input: (_, fx) => ({ name: fx.unique("key"), scopes: ["bots:read"] }),
    },
    rest: {
      method: "POST",
      path: () => "/api/v1/api-keys",
      body: (_, fx) => ({ name: fx.unique("key"), scopes: ["bots:read"] }),
    },
    // A key cannot grant scopes it lacks: the acting key holds what it hands out.
    allowed: { role: "admin", scopes: ["apiKeys:manage", "bots:read"] },
  }),
  parityRow({
    name: "revoke an API key",
    permission: "apiKeys:manage",
    audit: { action: "api_key.revoke", targetType: "api_key" },
    setup: async (fx) =>
      (await createApiKey(fx.owner, { name: fx.unique("victim"), scopes: ["bots:read"] })).apiKey,
    studio: { procedure: "apiKeys.revoke", input: (key) => ({ keyId: key.id }) },
    rest: { method: "DELETE", path: (key) => `/api/v1/api-keys/${key.id}` },
  }),
];
