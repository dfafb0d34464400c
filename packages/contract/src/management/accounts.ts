import { z } from "zod";

/** Shortest password accepted (the studio's password field says it up front). */
export const MIN_PASSWORD_LENGTH = 8;

/** A password accepted at sign-up, reset and invitation: 8 to 200 characters. */
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(200, "must be at most 200 characters");
