import { z } from "zod";

/** Shortest password accepted (the studio's password field says it up front). */
export const MIN_PASSWORD_LENGTH = 8;

/** A password accepted at sign-up, reset and invitation: 8 to 200 characters. */
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(200, "must be at most 200 characters");

/**
 * A second-factor code typed at sign-in or in the account settings: the 6 digits of an
 * authenticator app, or a one-time recovery code (`xxxxx-xxxxx`). Spaces are ignored.
 */
export const mfaCodeSchema = z
  .string()
  .trim()
  .min(6, "must be the 6-digit code of your authenticator app or a recovery code")
  .max(64, "must be the 6-digit code of your authenticator app or a recovery code");

/** The single-use token of a sign-in's second step (given after the password). */
export const mfaChallengeTokenSchema = z.string().min(1).max(200);

/** The tenant setting "members must use multi-factor sign-in". */
export const requireMfaSettingSchema = z
  .object({ requireMfa: z.boolean().describe("Whether every member must use multi-factor sign-in") })
  .strict();
/** The tenant setting "members must use multi-factor sign-in". */
export type RequireMfaSetting = z.infer<typeof requireMfaSettingSchema>;
