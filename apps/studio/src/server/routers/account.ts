import { mfaCodeSchema } from "@parley/contract";
import {
  confirmMfaEnrolment,
  disableMfa,
  mfaStatus,
  regenerateRecoveryCodes,
  requestFactsOf,
  startMfaEnrolment,
} from "@parley/core";
import { z } from "zod";
import type { SignedIn, StudioContext } from "../context";
import { authedProcedure, router } from "../trpc";

/** Who acts on their own account, from when and where. */
const acting = (ctx: StudioContext & { auth: SignedIn }) => ({
  userId: ctx.auth.user.id,
  now: ctx.now(),
  request: requestFactsOf(ctx.request),
});

/**
 * The signed-in user's own account security: multi-factor sign-in (a session action only: API keys
 * cannot enrol anyone). Not tied to a workspace, so a member locked out by a workspace's MFA
 * requirement can enrol here.
 */
export const accountRouter = router({
  mfaStatus: authedProcedure.query(({ ctx }) => mfaStatus(ctx.core, ctx.auth.user.id)),

  /** A new secret and its otpauth:// URI (pending until confirmed). */
  startMfaEnrolment: authedProcedure.mutation(({ ctx }) =>
    startMfaEnrolment(ctx.core, { userId: ctx.auth.user.id }),
  ),

  /** Turns MFA on with a code from the app; answers the recovery codes (shown once). */
  confirmMfaEnrolment: authedProcedure
    .input(z.object({ code: mfaCodeSchema }))
    .mutation(({ ctx, input }) => confirmMfaEnrolment(ctx.core, { ...acting(ctx), code: input.code })),

  /** Turns MFA off with the password and a code (or recovery code). */
  disableMfa: authedProcedure
    .input(z.object({ password: z.string().min(1).max(1_000), code: mfaCodeSchema }))
    .mutation(async ({ ctx, input }) => {
      await disableMfa(ctx.core, { ...acting(ctx), ...input });
      return { ok: true as const };
    }),

  /** New recovery codes (the old ones stop working); needs a code. */
  regenerateRecoveryCodes: authedProcedure
    .input(z.object({ code: mfaCodeSchema }))
    .mutation(({ ctx, input }) => regenerateRecoveryCodes(ctx.core, { ...acting(ctx), code: input.code })),
});
