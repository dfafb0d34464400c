import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local OAuth2 authorization server and protected API for tests, speaking RFC 6749 (client
 * credentials, authorization code with PKCE S256 per RFC 7636, refresh tokens with rotation) and
 * RFC 6750 bearer tokens. Knobs: token lifetime, a hung token endpoint, revocation.
 */
export async function startOAuthServer(options: { clientId: string; clientSecret: string }) {
  const state = {
    tokenCalls: 0,
    grants: [] as string[],
    expiresIn: 3600,
    down: false,
    validTokens: new Set<string>(),
    validRefresh: new Set<string>(),
    codes: new Map<string, { challenge: string; redirectUri: string }>(),
    lastTokenRequest: { authorization: "", body: "" },
    apiCalls: 0,
  };
  const read = (request: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => resolve(body));
    });
  const issue = () => {
    const access = `at-${randomBytes(12).toString("hex")}`;
    const refresh = `rt-${randomBytes(12).toString("hex")}`;
    state.validTokens.add(access);
    state.validRefresh.add(refresh);
    return {
      access_token: access,
      token_type: "Bearer",
      expires_in: state.expiresIn,
      refresh_token: refresh,
    };
  };
  const json = (response: import("node:http").ServerResponse, status: number, body: unknown) =>
    response
      .writeHead(status, { "content-type": "application/json", "cache-control": "no-store" })
      .end(JSON.stringify(body));

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://local");
    if (url.pathname === "/authorize") {
      // The user consents at once: back to the client with a code bound to the PKCE challenge.
      const code = `code-${randomBytes(8).toString("hex")}`;
      state.codes.set(code, {
        challenge: url.searchParams.get("code_challenge") ?? "",
        redirectUri: url.searchParams.get("redirect_uri") ?? "",
      });
      const back = new URL(url.searchParams.get("redirect_uri") ?? "");
      back.searchParams.set("code", code);
      back.searchParams.set("state", url.searchParams.get("state") ?? "");
      response.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (url.pathname === "/token") {
      const body = await read(request);
      state.tokenCalls += 1;
      state.lastTokenRequest = { authorization: request.headers.authorization ?? "", body };
      if (state.down) return; // never answers
      const form = new URLSearchParams(body);
      const basic = request.headers.authorization?.startsWith("Basic ")
        ? Buffer.from(request.headers.authorization.slice(6), "base64")
            .toString()
            .split(":")
            .map(decodeURIComponent)
        : [form.get("client_id"), form.get("client_secret")];
      if (basic[0] !== options.clientId || basic[1] !== options.clientSecret) {
        return json(response, 401, { error: "invalid_client" });
      }
      const grant = form.get("grant_type") ?? "";
      state.grants.push(grant);
      if (grant === "client_credentials") {
        const { refresh_token: _, ...token } = issue();
        return json(response, 200, { ...token, scope: form.get("scope") ?? undefined });
      }
      if (grant === "authorization_code") {
        const pending = state.codes.get(form.get("code") ?? "");
        state.codes.delete(form.get("code") ?? "");
        const verifier = form.get("code_verifier") ?? "";
        const challenge = createHash("sha256").update(verifier).digest("base64url");
        if (!pending || pending.challenge !== challenge || pending.redirectUri !== form.get("redirect_uri")) {
          return json(response, 400, {
            error: "invalid_grant",
            error_description: "code or PKCE verifier mismatch",
          });
        }
        return json(response, 200, issue());
      }
      if (grant === "refresh_token") {
        const refresh = form.get("refresh_token") ?? "";
        if (!state.validRefresh.has(refresh)) {
          return json(response, 400, { error: "invalid_grant", error_description: "refresh token revoked" });
        }
        state.validRefresh.delete(refresh); // rotation
        return json(response, 200, issue());
      }
      return json(response, 400, { error: "unsupported_grant_type" });
    }
    if (url.pathname.startsWith("/api/")) {
      state.apiCalls += 1;
      const token = request.headers.authorization?.replace(/^Bearer /, "") ?? "";
      if (!state.validTokens.has(token)) return json(response, 401, { error: "invalid_token" });
      return json(response, 200, { ok: true, path: url.pathname });
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    state,
    url: base,
    /** Revokes every access token (the API answers 401) and, with `refresh`, every refresh token. */
    revoke(what: { refresh?: boolean } = {}) {
      state.validTokens.clear();
      if (what.refresh) state.validRefresh.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
