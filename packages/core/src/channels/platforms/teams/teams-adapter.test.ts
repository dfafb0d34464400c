import { createGuardedHttpClient } from "@parley/infra";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import type { InboundRequest } from "../../platform-adapter";
import { type ScriptedAnswer, startLocalPlatformServer } from "../shared/local-platform-server.test-support";
import { createTeamsAdapter } from "./adapter";

const http = createGuardedHttpClient({ allowLoopback: true }).fetch;
const appId = "c7e9a0b4-1111-4222-8333-944455556666";
const appPassword = "client-secret~value";

// The Bot Framework's signing key, and a stranger's (a forged token).
const botFramework = await generateKeyPair("RS256");
const stranger = await generateKeyPair("RS256");
// As login.botframework.com publishes them: each key lists the channels that endorse it.
const publicJwk = {
  ...(await exportJWK(botFramework.publicKey)),
  kid: "bf-key-1",
  use: "sig",
  alg: "RS256",
  endorsements: ["msteams", "webchat"],
};
// A genuine Bot Framework key endorsed only for another channel.
const skypeOnly = await generateKeyPair("RS256");
const skypeJwk = {
  ...(await exportJWK(skypeOnly.publicKey)),
  kid: "bf-key-skype",
  use: "sig",
  alg: "RS256",
  endorsements: ["skype"],
};

let tokenRequests = 0;
let connectorScript: ScriptedAnswer[] = [];
// One local server plays login.botframework.com (OpenID metadata + JWKS), login.microsoftonline.com
// (client-credentials token) and the Bot Connector (serviceUrl).
const server = await startLocalPlatformServer((request) => {
  if (request.path === "/v1/.well-known/openidconfiguration") {
    return {
      status: 200,
      body: {
        issuer: "https://api.botframework.com",
        jwks_uri: `${server.origin}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ["RS256"],
      },
    };
  }
  if (request.path === "/v1/.well-known/keys") return { status: 200, body: { keys: [publicJwk, skypeJwk] } };
  if (request.path === "/botframework.com/oauth2/v2.0/token") {
    tokenRequests++;
    const form = new URLSearchParams(request.body);
    if (form.get("client_secret") !== appPassword)
      return {
        status: 401,
        body: {
          error: "invalid_client",
          error_description: "AADSTS7000215: Invalid client secret provided.",
        },
      };
    return {
      status: 200,
      body: {
        token_type: "Bearer",
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: `bot-token-${tokenRequests}`,
      },
    };
  }
  if (request.path.startsWith("/connector/v3/conversations/"))
    return connectorScript.shift() ?? { status: 201, body: { id: "1:activity-out" } };
  return { status: 404, body: { error: { code: "NotFound", message: "no such route" } } };
});
afterAll(() => server.close());

const serviceUrl = `${server.origin}/connector/`;
const teams = createTeamsAdapter({ allowedHosts: () => ["127.0.0.1"] });
const connection = {
  channelId: "ch_teams",
  credentials: { appId, appPassword },
  settings: teams.settingsSchema.parse({
    openIdMetadataUrl: `${server.origin}/v1/.well-known/openidconfiguration`,
    tokenUrl: `${server.origin}/botframework.com/oauth2/v2.0/token`,
  }),
  webhookUrl: "http://localhost:4000/webhooks/channels/ch_teams",
};

const activity = (overrides: Record<string, unknown> = {}) => ({
  type: "message",
  id: "1485983408511",
  timestamp: new Date().toISOString(),
  serviceUrl,
  channelId: "msteams",
  from: {
    id: "29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw",
    name: "Megan Bowen",
    aadObjectId: "aad-user-1",
  },
  conversation: { id: "a:1pL6i0oY3C0K8oAj8", conversationType: "personal", tenantId: "tenant-1" },
  recipient: { id: `28:${appId}`, name: "Pizza bot" },
  text: "<at>Pizza bot</at> hello",
  ...overrides,
});

async function token(
  options: {
    issuer?: string;
    audience?: string;
    expiresAtS?: number;
    serviceUrl?: string;
    key?: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
    kid?: string;
  } = {},
) {
  const nowS = Math.floor(Date.now() / 1000);
  return new SignJWT({ serviceUrl: options.serviceUrl ?? serviceUrl })
    .setProtectedHeader({ alg: "RS256", kid: options.kid ?? "bf-key-1", typ: "JWT" })
    .setIssuer(options.issuer ?? "https://api.botframework.com")
    .setAudience(options.audience ?? appId)
    .setIssuedAt(nowS - 60)
    .setNotBefore(nowS - 60)
    .setExpirationTime(options.expiresAtS ?? nowS + 3600)
    .sign(options.key ?? botFramework.privateKey);
}

const post = (body: unknown, authorization?: string): InboundRequest => ({
  method: "POST",
  headers: authorization ? { authorization } : {},
  query: {},
  rawBody: Buffer.from(JSON.stringify(body)),
});

describe("Teams inbound JWT (local OpenID metadata + JWKS)", () => {
  it("accepts a token the Bot Framework signed for this app and this serviceUrl", async () => {
    expect(
      await teams.verify(post(activity(), `Bearer ${await token()}`), connection, Date.now(), http),
    ).toEqual({
      ok: true,
    });
  });

  it("refuses a wrong audience, a wrong issuer, an expired token, a forged signature and a missing header", async () => {
    const nowS = Math.floor(Date.now() / 1000);
    const cases: [string, string | undefined, RegExp][] = [
      ["audience", `Bearer ${await token({ audience: "another-bot" })}`, /aud/],
      ["issuer", `Bearer ${await token({ issuer: "https://sts.windows.net/evil/" })}`, /iss/],
      ["expired", `Bearer ${await token({ expiresAtS: nowS - 10 * 60 })}`, /expired/],
      ["forged", `Bearer ${await token({ key: stranger.privateKey })}`, /signature/],
      ["missing", undefined, /Authorization/],
    ];
    for (const [name, header, reason] of cases) {
      const result = await teams.verify(post(activity(), header), connection, Date.now(), http);
      expect(result, name).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(reason) });
    }
    // Within the 5-minute skew an expired token still passes.
    const lately = `Bearer ${await token({ expiresAtS: nowS - 2 * 60 })}`;
    expect(await teams.verify(post(activity(), lately), connection, Date.now(), http)).toEqual({ ok: true });
  });

  it("refuses a token whose serviceUrl claim differs from the activity's", async () => {
    const header = `Bearer ${await token({ serviceUrl: "https://smba.trafficmanager.net/amer/" })}`;
    expect(await teams.verify(post(activity(), header), connection, Date.now(), http)).toMatchObject({
      ok: false,
      status: 403,
      reason: expect.stringContaining("serviceUrl"),
    });
  });

  it("refuses a token signed by a key not endorsed for the activity's channel", async () => {
    const skypeSigned = `Bearer ${await token({ key: skypeOnly.privateKey, kid: "bf-key-skype" })}`;
    expect(await teams.verify(post(activity(), skypeSigned), connection, Date.now(), http)).toMatchObject({
      ok: false,
      status: 403,
      reason: expect.stringContaining("not endorsed for channel msteams"),
    });
    // The same key vouches for the channel it is endorsed for.
    expect(
      await teams.verify(post(activity({ channelId: "skype" }), skypeSigned), connection, Date.now(), http),
    ).toEqual({ ok: true });
    // An activity naming no channel has nothing a key could be endorsed for.
    const { channelId: _none, ...anonymous } = activity();
    expect(
      await teams.verify(post(anonymous, `Bearer ${await token()}`), connection, Date.now(), http),
    ).toMatchObject({
      ok: false,
      status: 403,
    });
  });

  it("fetches the metadata and keys only through the client the seam hands verify", async () => {
    const seen: string[] = [];
    const recording: typeof fetch = (input, init) => {
      seen.push(String(input));
      return http(input, init);
    };
    const fresh = createTeamsAdapter({ allowedHosts: () => ["127.0.0.1"] });
    const result = await fresh.verify(
      post(activity(), `Bearer ${await token()}`),
      connection,
      Date.now(),
      recording,
    );
    expect(result).toEqual({ ok: true });
    expect(seen).toEqual([
      `${server.origin}/v1/.well-known/openidconfiguration`,
      `${server.origin}/v1/.well-known/keys`,
    ]);
    // A client that refuses loopback (the default guard) cannot reach the local JWKS: no hidden client exists.
    const guarded = createGuardedHttpClient({}).fetch;
    const refused = await createTeamsAdapter().verify(
      post(activity(), `Bearer ${await token()}`),
      connection,
      Date.now(),
      guarded,
    );
    expect(refused).toMatchObject({
      ok: false,
      status: 401,
      reason: expect.stringContaining("signing keys"),
    });
  });
});

describe("Teams parse", () => {
  it("normalises messages and card submits, ignores conversation updates and the bot's own activities", () => {
    const [message] = teams.parse(post(activity()), connection);
    expect(message).toMatchObject({
      kind: "message",
      eventId: "1485983408511",
      externalUserId: "aad-user-1",
      displayName: "Megan Bowen",
      threadId: "a:1pL6i0oY3C0K8oAj8",
      text: "hello",
      replyContext: {
        serviceUrl,
        conversationId: "a:1pL6i0oY3C0K8oAj8",
        botId: `28:${appId}`,
        tenantId: "tenant-1",
      },
    });
    const [submit] = teams.parse(
      post(activity({ id: "2", text: undefined, value: { parleyValue: "size_l", parleyLabel: "Large" } })),
      connection,
    );
    expect(submit).toMatchObject({ kind: "message", text: "Large", buttonValue: "size_l" });
    const [messageBack] = teams.parse(
      post(activity({ id: "3", text: "order", value: { action: "order", sku: 7 } })),
      connection,
    );
    expect(messageBack).toMatchObject({ text: "order", buttonValue: '{"action":"order","sku":7}' });
    expect(
      teams.parse(
        post(activity({ id: "4", type: "conversationUpdate", membersAdded: [{ id: "x" }] })),
        connection,
      ),
    ).toEqual([{ kind: "ignored", eventId: "4", why: "unsupported" }]);
    expect(
      teams.parse(post(activity({ id: "5", from: { id: "28:other", role: "bot" } })), connection)[0],
    ).toMatchObject({ why: "bot" });
    const [file] = teams.parse(
      post(
        activity({
          id: "6",
          text: "",
          attachments: [
            {
              contentType: "application/vnd.microsoft.teams.file.download.info",
              name: "menu.pdf",
              content: { downloadUrl: "https://contoso.sharepoint.com/menu.pdf" },
            },
            { contentType: "text/html", content: "<p></p>" },
          ],
        }),
      ),
      connection,
    );
    expect(file).toMatchObject({
      attachments: [{ type: "file", name: "menu.pdf", url: "https://contoso.sharepoint.com/menu.pdf" }],
    });
  });
});

describe("Teams outbound (local token endpoint + Bot Connector)", () => {
  const [inbound] = teams.parse(post(activity()), connection);
  const target = {
    threadId: "a:1pL6i0oY3C0K8oAj8",
    externalUserId: "aad-user-1",
    replyContext: inbound?.kind === "message" ? inbound.replyContext : {},
  };

  it("renders markdown text, suggested actions, Adaptive Cards and typing", () => {
    const calls = teams.render(
      [
        { nodeId: "t", type: "typing", durationMs: 200 },
        { nodeId: "a", type: "text", text: "**Hello**", format: "markdown", source: "flow" },
        {
          nodeId: "b",
          type: "quick_replies",
          text: "Size?",
          replies: [
            { label: "Small", value: "s" },
            { label: "Large", value: "l" },
          ],
        },
        {
          nodeId: "c",
          type: "card",
          title: "Margherita",
          imageUrl: "https://cdn.example/m.png",
          buttons: [
            { label: "Order", value: "order_m" },
            { label: "Menu", url: "https://example.com" },
          ],
        },
      ],
      target,
      connection,
    );
    expect(calls.map((call) => call.kind)).toEqual(["typing", "text", "suggested_actions", "card"]);
    expect(calls[0]).toMatchObject({
      url: `${serviceUrl}v3/conversations/a%3A1pL6i0oY3C0K8oAj8/activities`,
      body: { type: "typing" },
    });
    expect(calls[1]?.body).toMatchObject({
      type: "message",
      text: "**Hello**",
      textFormat: "markdown",
      from: { id: `28:${appId}` },
      conversation: { id: "a:1pL6i0oY3C0K8oAj8" },
    });
    expect(calls[2]?.body).toMatchObject({
      suggestedActions: { actions: [{ type: "imBack", title: "Small", value: "Small" }, {}] },
    });
    expect(calls[3]?.body).toMatchObject({
      attachments: [
        {
          contentType: "application/vnd.microsoft.card.adaptive",
          content: {
            type: "AdaptiveCard",
            actions: [
              { type: "Action.Submit", data: { parleyValue: "order_m" } },
              { type: "Action.OpenUrl", url: "https://example.com" },
            ],
          },
        },
      ],
    });
  });

  it("fetches a bot token by client credentials once, caches it, and POSTs activities with it", async () => {
    const [call] = teams.render(
      [{ nodeId: "a", type: "text", text: "one", format: "plain", source: "flow" }],
      target,
      connection,
    );
    const before = server.received.length;
    expect(await teams.send(call as never, connection, http)).toEqual({
      ok: true,
      platformMessageId: "1:activity-out",
    });
    expect(await teams.send(call as never, connection, http)).toEqual({
      ok: true,
      platformMessageId: "1:activity-out",
    });
    const seen = server.received.slice(before);
    expect(seen.map((request) => request.path)).toEqual([
      "/botframework.com/oauth2/v2.0/token",
      "/connector/v3/conversations/a%3A1pL6i0oY3C0K8oAj8/activities",
      "/connector/v3/conversations/a%3A1pL6i0oY3C0K8oAj8/activities",
    ]);
    const form = new URLSearchParams(seen[0]?.body);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: "client_credentials",
      client_id: appId,
      client_secret: appPassword,
      scope: "https://api.botframework.com/.default",
    });
    expect(seen[1]?.headers.authorization).toBe("Bearer bot-token-1");
    expect(seen[2]?.headers.authorization).toBe("Bearer bot-token-1");
  });

  it("maps connector failures and refuses a serviceUrl that is not a Bot Framework host", async () => {
    const [call] = teams.render(
      [{ nodeId: "a", type: "text", text: "x", format: "plain", source: "flow" }],
      target,
      connection,
    );
    connectorScript = [
      {
        status: 429,
        headers: { "retry-after": "3" },
        body: { error: { code: "TooManyRequests", message: "slow down" } },
      },
      { status: 404, body: { error: { code: "ConversationNotFound", message: "Conversation not found." } } },
    ];
    expect(await teams.send(call as never, connection, http)).toMatchObject({
      ok: false,
      retryable: true,
      retryAfterMs: 3000,
    });
    expect(await teams.send(call as never, connection, http)).toEqual({
      ok: false,
      retryable: false,
      error: "the Teams connector answered HTTP 404: Conversation not found.",
    });
    const evil = { ...call, url: "http://169.254.169.254/v3/conversations/x/activities" };
    const before = server.received.length;
    expect(await teams.send(evil as never, connection, http)).toMatchObject({
      ok: false,
      retryable: false,
      error: expect.stringContaining("not https"),
    });
    const strict = createTeamsAdapter({ allowedHosts: () => [] });
    expect(await strict.send(call as never, connection, http)).toMatchObject({
      ok: false,
      retryable: false,
      error: expect.stringContaining("PARLEY_OUTBOUND_ALLOWED_HOSTS"),
    });
    expect(server.received.length).toBe(before);
  });

  it("reports refused credentials as a permanent failure with the endpoint's message", async () => {
    const wrong = { ...connection, credentials: { appId: "other-app", appPassword: "nope" } };
    const [call] = teams.render(
      [{ nodeId: "a", type: "text", text: "x", format: "plain", source: "flow" }],
      target,
      wrong,
    );
    expect(await teams.send(call as never, wrong, http)).toMatchObject({
      ok: false,
      retryable: false,
      error: expect.stringContaining("AADSTS7000215"),
    });
  });
});
