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
  /** An e-mail address your server has verified (links the visitor's contact across channels too). */
  email: z.email().max(320).optional(),
  /**
   * A phone number your server has verified, in E.164 (`+16505551234`): the visitor's contact is the
   * one the same number writes from on WhatsApp, so contact variables carry across the two.
   */
  phone: z
    .string()
    .regex(/^\+[1-9]\d{5,14}$/, "an E.164 phone number such as +16505551234")
    .optional(),
  /** The user's display name. */
  name: z.string().max(200).optional(),
  iat: z.number().int(),
  exp: z.number().int(),
});
/** The claims of a visitor identity token. */
export type IdentityTokenClaims = z.infer<typeof identityTokenClaimsSchema>;
