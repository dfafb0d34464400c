import { createApiKey } from "@parley/core";
// The local OAuth2 server core's own tests use (RFC 6749 authorization code with PKCE S256).
import { startOAuthServer } from "@parley/core/test-servers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, seedBot, startTestRuntime, type TestRuntime } from "./test-support/runtime-harness";

const CLIENT = { clientId: "rest-client", clientSecret: "rest-client-secret-4321" };
const at = { x: 0, y: 0 };
const hello = {
  version: 1,
  id: "hello",
  name: "Hello",
  variables: [],
  nodes: [
    { id: "start", kind: "start", position: at, data: {} },
    { id: "end", kind: "end", position: at, data: {} },
  ],
  edges: [{ id: "a", source: "start", sourceHandle: "next", target: "end" }],
};

/** An OAuth2 authorization-code integration connected over REST only: authorize, then the callback. */
describe("connecting an OAuth2 integration over REST", () => {
  let t: TestRuntime;
  let oauth: Awaited<ReturnType<typeof startOAuthServer>>;
  let seed: Awaited<ReturnType<typeof seedBot>>;

  beforeAll(async () => {
    oauth = await startOAuthServer(CLIENT);
    t = await startTestRuntime("embedded", { PARLEY_OUTBOUND_ALLOWED_HOSTS: "127.0.0.1" });
    seed = await seedBot(t.runtime, hello);
  }, 120_000);
  afterAll(async () => {
    await t?.cleanup();
    await oauth?.close();
  }, 30_000);

  it("finishes with the key that started it; another key and a used state are refused", async () => {
    const created = await call(t.url, "POST", "/api/v1/integrations", {
      key: seed.key,
      body: {
        name: "ac",
        config: { baseUrl: oauth.url },
        credentials: {
          type: "oauth2-authorization-code",
          authorizeUrl: `${oauth.url}/authorize`,
          tokenUrl: `${oauth.url}/token`,
          ...CLIENT,
        },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const started = await call(t.url, "POST", `/api/v1/integrations/${created.body.id}/oauth/authorize`, {
      key: seed.key,
      body: { redirectUri: "https://crm-sync.example.com/oauth/return" },
    });
    expect(started.status).toBe(200);
    // The user consents; the server redirects to the client's redirectUri with a code.
    const consent = await fetch(started.body.authorizeUrl, { redirect: "manual" });
    const code = new URL(consent.headers.get("location") ?? "").searchParams.get("code");
    expect(code).toEqual(expect.any(String));

    const other = await createApiKey(seed.ctx, { name: "other", scopes: ["integrations:manage"] });
    const foreign = await call(t.url, "POST", "/api/v1/integrations/oauth/callback", {
      key: other.key,
      body: { state: started.body.state, code },
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.code).toBe("oauth-state-invalid");

    const connected = await call(t.url, "POST", "/api/v1/integrations/oauth/callback", {
      key: seed.key,
      body: { state: started.body.state, code },
    });
    expect(connected.status, JSON.stringify(connected.body)).toBe(200);
    expect(connected.body.credentials.status).toBe("connected");
    expect(JSON.stringify(connected.body)).not.toContain(CLIENT.clientSecret);
    expect(oauth.state.grants.at(-1)).toBe("authorization_code");

    const replayed = await call(t.url, "POST", "/api/v1/integrations/oauth/callback", {
      key: seed.key,
      body: { state: started.body.state, code },
    });
    expect(replayed.status).toBe(422);
  }, 60_000);
});
