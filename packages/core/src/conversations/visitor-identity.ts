import { type IdentityTokenClaims, identityTokenClaimsSchema } from "@parley/contract";
import { errors as joseErrors, jwtVerify } from "jose";
import { identitySecretOf } from "../bots/identity-secret";
import { nowOf, type ServiceContext } from "../context";
import { ServiceError } from "../errors";

/** The longest lifetime (`exp - iat`) an identity token may have: a leaked token expires soon. */
export const MAX_IDENTITY_TOKEN_LIFETIME_SECONDS = 3_600;
/** Clock skew tolerated between the site's server and the runtime. */
const CLOCK_TOLERANCE_SECONDS = 30;

function invalidToken(reason: string, cause?: unknown): ServiceError {
  return new ServiceError("unauthenticated", "invalid-identity-token", `the identity token ${reason}`, {
    ...(cause ? { cause } : {}),
  });
}

/**
 * Verifies a visitor identity token a site's server signed for this bot (internal): HS256 only,
 * with the bot's identity secret, `sub`, `iat` and `exp` present, not expired (30 s tolerance),
 * and a lifetime of at most an hour. Returns the verified claims.
 * @throws ServiceError `unauthenticated`/`invalid-identity-token` saying why (expired, bad
 *   signature, algorithm, lifetime, claims); `invalid`/`identity-verification-off` when the bot has
 *   no identity secret yet
 */
export async function verifyIdentityToken(
  ctx: ServiceContext,
  botId: string,
  token: string,
): Promise<IdentityTokenClaims> {
  const secret = await identitySecretOf(ctx, botId);
  if (secret === null) {
    throw new ServiceError(
      "invalid",
      "identity-verification-off",
      `bot ${botId} has no identity secret: generate one in the bot settings (Identity verification) before sending identity tokens`,
    );
  }
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ["HS256"],
      requiredClaims: ["sub", "iat", "exp"],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: nowOf(ctx.deps),
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw invalidToken("has expired", error);
    if (error instanceof joseErrors.JOSEAlgNotAllowed) throw invalidToken("must be signed with HS256", error);
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
      throw invalidToken("is not signed with this bot's identity secret", error);
    }
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
      throw invalidToken(`has an invalid \`${error.claim}\` claim: ${error.reason}`, error);
    }
    throw invalidToken("is not a valid JWT", error);
  }
  const claims = identityTokenClaimsSchema.safeParse(payload);
  if (!claims.success) {
    const issue = claims.error.issues[0];
    throw invalidToken(`has an invalid \`${issue?.path.join(".") ?? "claims"}\` claim: ${issue?.message}`);
  }
  const { iat, exp } = claims.data;
  if (exp - iat > MAX_IDENTITY_TOKEN_LIFETIME_SECONDS) {
    throw invalidToken(
      `lives ${exp - iat} s (exp - iat); sign tokens that expire within ${MAX_IDENTITY_TOKEN_LIFETIME_SECONDS} s`,
    );
  }
  if (iat * 1000 > nowOf(ctx.deps).getTime() + CLOCK_TOLERANCE_SECONDS * 1000) {
    throw invalidToken("was issued in the future (`iat`)");
  }
  return claims.data;
}
