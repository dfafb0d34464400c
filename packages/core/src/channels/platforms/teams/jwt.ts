import { createLocalJWKSet, errors, type JSONWebKeySet, jwtVerify } from "jose";
import type { PlatformHttp, VerifyResult } from "../../platform-adapter";

/** The issuer of tokens the Bot Framework signs for activities it sends to a bot. */
export const BOT_FRAMEWORK_ISSUER = "https://api.botframework.com";
/** Clock skew allowed on `exp`/`nbf` (the Bot Framework's own SDKs allow 5 minutes). */
const CLOCK_SKEW_SECONDS = 300;
/** How long an OpenID metadata document and its key set are trusted (Microsoft: refresh at least daily). */
const METADATA_TTL_MS = 24 * 60 * 60 * 1000;
/** Least time between two refetches of a key set for an unknown `kid` (a forged kid must not flood the JWKS). */
const UNKNOWN_KID_COOLDOWN_MS = 5 * 60_000;

/** A published key as the Bot Framework's JWKS lists it: a JWK plus the channels that endorse it. */
interface EndorsedJwk {
  kid?: string;
  endorsements?: unknown;
  [member: string]: unknown;
}

interface KnownKeys {
  keys: EndorsedJwk[];
  fetchedAtMs: number;
}

/** What one activity's token is checked against. */
export interface BotFrameworkTokenInput {
  authorization: string | undefined;
  appId: string;
  activityServiceUrl: string | undefined;
  /** The activity's `channelId` ("msteams", "webchat"...): the signing key must be endorsed for it. */
  activityChannelId: string | undefined;
  openIdMetadataUrl: string;
  nowMs: number;
  /** The guarded outbound client the metadata and the key set are fetched with. */
  http: PlatformHttp;
}

/**
 * Verifies the `Authorization: Bearer` JWT of a Bot Framework activity (Bot Framework "Authenticate
 * requests from the Bot Connector service"): RS256 signature against a key of the JWKS the OpenID
 * metadata names (fetched through the guarded client the seam hands `verify`, cached a day,
 * refetched on an unknown `kid`), issuer `https://api.botframework.com`, audience = the bot's app
 * id, expiry with 5 minutes' skew, the token's `serviceUrl` claim equal to the activity's, and the
 * signing key's `endorsements` including the activity's `channelId` (a key Microsoft endorses only
 * for another channel cannot vouch for this one). The key set is read here rather than by jose's
 * remote set because the endorsements live on the JWK, which the remote set does not expose.
 */
export class BotFrameworkTokenVerifier {
  private readonly metadata = new Map<string, { jwksUri: string; fetchedAtMs: number }>();
  private readonly keySets = new Map<string, KnownKeys>();

  async verify(input: BotFrameworkTokenInput): Promise<VerifyResult> {
    const match = /^Bearer\s+(\S+)$/i.exec(input.authorization?.trim() ?? "");
    if (!match?.[1])
      return {
        ok: false,
        status: 401,
        reason: "the Authorization header must carry the Bot Framework's Bearer token",
      };
    const jwt = match[1];
    let known: KnownKeys;
    let jwksUri: string;
    try {
      jwksUri = await this.jwksUriOf(input.openIdMetadataUrl, input.http, input.nowMs);
      known = await this.keysOf(jwksUri, input.http, input.nowMs, kidOf(jwt));
    } catch (error) {
      return {
        ok: false,
        status: 401,
        reason: `the signing keys could not be loaded from ${input.openIdMetadataUrl}: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    let claims: Record<string, unknown>;
    let kid: string | undefined;
    try {
      const verified = await jwtVerify(jwt, createLocalJWKSet({ keys: known.keys } as JSONWebKeySet), {
        issuer: BOT_FRAMEWORK_ISSUER,
        audience: input.appId,
        algorithms: ["RS256", "RS384", "RS512"],
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: new Date(input.nowMs),
        requiredClaims: ["exp"],
      });
      claims = verified.payload;
      kid = verified.protectedHeader.kid;
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
    const key = known.keys.find((candidate) => candidate.kid === kid);
    const endorsements = Array.isArray(key?.endorsements) ? key.endorsements : [];
    if (!input.activityChannelId || !endorsements.includes(input.activityChannelId)) {
      return {
        ok: false,
        status: 403,
        reason: `the signing key ${kid ?? "(no kid)"} is not endorsed for channel ${input.activityChannelId ?? "(none given)"}`,
      };
    }
    return { ok: true };
  }

  private async jwksUriOf(metadataUrl: string, http: PlatformHttp, nowMs: number): Promise<string> {
    const known = this.metadata.get(metadataUrl);
    if (known && nowMs - known.fetchedAtMs <= METADATA_TTL_MS) return known.jwksUri;
    const document = (await getJson(http, metadataUrl, "the OpenID metadata")) as { jwks_uri?: unknown };
    if (typeof document.jwks_uri !== "string") throw new Error("the OpenID metadata has no jwks_uri");
    this.metadata.set(metadataUrl, { jwksUri: document.jwks_uri, fetchedAtMs: nowMs });
    return document.jwks_uri;
  }

  private async keysOf(
    jwksUri: string,
    http: PlatformHttp,
    nowMs: number,
    kid: string | undefined,
  ): Promise<KnownKeys> {
    const cached = this.keySets.get(jwksUri);
    const fresh = cached && nowMs - cached.fetchedAtMs <= METADATA_TTL_MS;
    const knowsKid = kid === undefined || cached?.keys.some((key) => key.kid === kid);
    const mayRefetch = !cached || nowMs - cached.fetchedAtMs >= UNKNOWN_KID_COOLDOWN_MS;
    if (cached && fresh && (knowsKid || !mayRefetch)) return cached;
    const document = (await getJson(http, jwksUri, "the JWKS")) as { keys?: unknown };
    if (!Array.isArray(document.keys)) throw new Error("the JWKS has no keys");
    const known = { keys: document.keys as EndorsedJwk[], fetchedAtMs: nowMs };
    this.keySets.set(jwksUri, known);
    return known;
  }
}

/** The `kid` of a compact JWS's protected header, if it reads (internal). */
function kidOf(jwt: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(jwt.split(".")[0] ?? "", "base64url").toString("utf8")) as {
      kid?: unknown;
    };
    return typeof header.kid === "string" ? header.kid : undefined;
  } catch {
    return undefined;
  }
}

async function getJson(http: PlatformHttp, url: string, what: string): Promise<unknown> {
  const response = await http(url, {
    headers: { accept: "application/json" },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`${what} answered HTTP ${response.status}`);
  return response.json();
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "it has expired";
  if (error instanceof errors.JWTClaimValidationFailed)
    return `${error.claim} claim check failed (${error.reason})`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return "its signature does not verify";
  if (error instanceof errors.JWKSNoMatchingKey) return "no published key matches its kid";
  return error instanceof Error ? error.message : String(error);
}
