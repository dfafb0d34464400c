import { createRemoteJWKSet, customFetch, errors, type JWTVerifyGetKey, jwtVerify } from "jose";
import type { PlatformHttp, VerifyResult } from "../../platform-adapter";

/** The issuer of tokens the Bot Framework signs for activities it sends to a bot. */
export const BOT_FRAMEWORK_ISSUER = "https://api.botframework.com";
/** Clock skew allowed on `exp`/`nbf` (the Bot Framework's own SDKs allow 5 minutes). */
const CLOCK_SKEW_SECONDS = 300;
/** How long an OpenID metadata document is trusted before it is fetched again (Microsoft: at least daily). */
const METADATA_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Verifies the `Authorization: Bearer` JWT of a Bot Framework activity (Bot Framework "Authenticate
 * requests from the Bot Connector service"): RS256 signature against a key of the JWKS the OpenID
 * metadata names (fetched through the guarded client and cached by jose, refetched on an unknown
 * `kid`), issuer `https://api.botframework.com`, audience = the bot's app id, expiry with 5 minutes'
 * skew, and the token's `serviceUrl` claim equal to the activity's.
 */
export class BotFrameworkTokenVerifier {
  private readonly metadata = new Map<string, { jwksUri: string; fetchedAtMs: number }>();
  private readonly keySets = new Map<string, JWTVerifyGetKey>();

  constructor(private readonly http: () => PlatformHttp) {}

  async verify(input: {
    authorization: string | undefined;
    appId: string;
    activityServiceUrl: string | undefined;
    openIdMetadataUrl: string;
    nowMs: number;
  }): Promise<VerifyResult> {
    const match = /^Bearer\s+(\S+)$/i.exec(input.authorization?.trim() ?? "");
    if (!match?.[1])
      return {
        ok: false,
        status: 401,
        reason: "the Authorization header must carry the Bot Framework's Bearer token",
      };
    let keys: JWTVerifyGetKey;
    try {
      keys = await this.keySet(input.openIdMetadataUrl, input.nowMs);
    } catch (error) {
      return {
        ok: false,
        status: 401,
        reason: `the signing keys could not be loaded from ${input.openIdMetadataUrl}: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    let claims: Record<string, unknown>;
    try {
      const verified = await jwtVerify(match[1], keys, {
        issuer: BOT_FRAMEWORK_ISSUER,
        audience: input.appId,
        algorithms: ["RS256", "RS384", "RS512"],
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: new Date(input.nowMs),
        requiredClaims: ["exp"],
      });
      claims = verified.payload;
    } catch (error) {
      return { ok: false, status: 401, reason: `the Bot Framework token was refused: ${describe(error)}` };
    }
    if (typeof claims.serviceUrl !== "string" || claims.serviceUrl !== input.activityServiceUrl) {
      return {
        ok: false,
        status: 403,
        reason: "the token's serviceUrl claim does not match the activity's serviceUrl",
      };
    }
    return { ok: true };
  }

  private async keySet(metadataUrl: string, nowMs: number): Promise<JWTVerifyGetKey> {
    let known = this.metadata.get(metadataUrl);
    if (!known || nowMs - known.fetchedAtMs > METADATA_TTL_MS) {
      const response = await this.http()(metadataUrl, { headers: { accept: "application/json" } });
      if (!response.ok) throw new Error(`the OpenID metadata answered HTTP ${response.status}`);
      const document = (await response.json()) as { jwks_uri?: unknown };
      if (typeof document.jwks_uri !== "string") throw new Error("the OpenID metadata has no jwks_uri");
      known = { jwksUri: document.jwks_uri, fetchedAtMs: nowMs };
      this.metadata.set(metadataUrl, known);
    }
    let keys = this.keySets.get(known.jwksUri);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(known.jwksUri), {
        [customFetch]: (url: string, init: RequestInit) => this.http()(url, init),
        cacheMaxAge: METADATA_TTL_MS,
        cooldownDuration: 5 * 60_000,
      });
      this.keySets.set(known.jwksUri, keys);
    }
    return keys;
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "it has expired";
  if (error instanceof errors.JWTClaimValidationFailed)
    return `${error.claim} claim check failed (${error.reason})`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return "its signature does not verify";
  if (error instanceof errors.JWKSNoMatchingKey) return "no published key matches its kid";
  return error instanceof Error ? error.message : String(error);
}
