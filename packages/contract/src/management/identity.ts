import { z } from "zod";

/**
 * `POST /api/v1/bots/{botId}/identity-secret` 201 response: the bot's new identity secret, shown
 * this once (it is stored encrypted). Your server signs visitor identity tokens (HS256 JWTs) with
 * it; generating a new one invalidates tokens signed with the previous secret.
 */
export const identitySecretResponseSchema = z.object({
  botId: z.string(),
  /** The HMAC key (its UTF-8 bytes) for HS256 identity tokens. Shown once. */
  secret: z.string(),
  /** Whether a previous secret was replaced (tokens signed with it stop working at once). */
  rotated: z.boolean(),
});
/** The bot's new identity secret, shown once. */
export type IdentitySecretResponse = z.infer<typeof identitySecretResponseSchema>;

/** Whether a bot verifies visitor identity tokens (never the secret itself). */
export const identityVerificationStatusSchema = z.object({
  botId: z.string(),
  enabled: z.boolean(),
});
/** Whether a bot verifies visitor identity tokens. */
export type IdentityVerificationStatus = z.infer<typeof identityVerificationStatusSchema>;

/** The claims of a visitor identity token your server signs (HS256 with the bot's identity secret). */
export const identityTokenClaimsSchema = z.object({
  /** Your user id: the conversation is linked to this user's web contact. */
  sub: z.string().min(1).max(200),
  /** An e-mail address your server has verified. */
  email: z.email().max(320).optional(),
  /** The user's display name. */
  name: z.string().max(200).optional(),
  iat: z.number().int(),
  exp: z.number().int(),
});
/** The claims of a visitor identity token. */
export type IdentityTokenClaims = z.infer<typeof identityTokenClaimsSchema>;
