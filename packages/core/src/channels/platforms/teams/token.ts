import type { PlatformHttp } from "../../platform-adapter";

/** Renew a token this long before it expires, so a queued call never carries a token that dies in flight. */
const RENEW_MARGIN_MS = 5 * 60_000;

/** A failed token request: retryable when the endpoint was unavailable, permanent for refused credentials. */
export class BotTokenError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * Bot Framework access tokens by OAuth 2.0 client credentials (scope `https://api.botframework.com/.default`),
 * cached per token endpoint and app until shortly before they expire; concurrent callers share one request.
 */
export class BotTokenCache {
  private readonly tokens = new Map<string, { token: string; expiresAtMs: number }>();
  private readonly pending = new Map<string, Promise<string>>();

  async token(input: {
    tokenUrl: string;
    appId: string;
    appPassword: string;
    http: PlatformHttp;
    nowMs: number;
  }): Promise<string> {
    const key = `${input.tokenUrl}\n${input.appId}`;
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAtMs - RENEW_MARGIN_MS > input.nowMs) return cached.token;
    let request = this.pending.get(key);
    if (!request) {
      request = this.fetchToken(input, key).finally(() => this.pending.delete(key));
      this.pending.set(key, request);
    }
    return request;
  }

  /** Forgets a token the connector refused (rotated secret), so the next call fetches a new one. */
  forget(tokenUrl: string, appId: string): void {
    this.tokens.delete(`${tokenUrl}\n${appId}`);
  }

  private async fetchToken(
    input: { tokenUrl: string; appId: string; appPassword: string; http: PlatformHttp; nowMs: number },
    key: string,
  ): Promise<string> {
    let response: Response;
    try {
      response = await input.http(input.tokenUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: input.appId,
          client_secret: input.appPassword,
          scope: "https://api.botframework.com/.default",
        }).toString(),
      });
    } catch (error) {
      throw new BotTokenError(
        `the token endpoint could not be reached: ${error instanceof Error ? error.message : String(error)}`,
        true,
      );
    }
    const body = (await response.json().catch(() => ({}))) as {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
      error_description?: unknown;
    };
    if (!response.ok || typeof body.access_token !== "string") {
      const detail =
        typeof body.error_description === "string"
          ? body.error_description
          : typeof body.error === "string"
            ? body.error
            : "";
      const retryable = response.status === 429 || response.status >= 500;
      throw new BotTokenError(
        `the token endpoint refused the app's credentials (HTTP ${response.status}${detail ? `: ${detail.split("\n")[0]}` : ""})`,
        retryable,
      );
    }
    const lifetimeS = Number(body.expires_in) || 3600;
    this.tokens.set(key, { token: body.access_token, expiresAtMs: input.nowMs + lifetimeS * 1000 });
    return body.access_token;
  }
}
