import { emailAddressSchema, mfaChallengeTokenSchema, mfaCodeSchema, passwordSchema } from "@parley/contract";
import {
  acceptInvitation,
  accountWorkspaces,
  confirmSignUp,
  createSession,
  defaultTenantOf,
  describeInvitation,
  mfaEnrolmentRequired,
  recordSignOut,
  requestFactsOf,
  requestPasswordReset,
  resetPassword,
  revokeSession,
  setActiveTenant,
  signIn,
  signInWithSecondFactor,
  signUp,
  signUpInputSchema,
} from "@parley/core";
import { z } from "zod";
import { csrfTokenOf } from "../auth/sessions";
import type { StudioContext } from "../context";
import { authedProcedure, publicProcedure, router } from "../trpc";

/** Starts a session (core stores it) and sets its cookie (HTTP: the studio's part). */
async function startSession(ctx: StudioContext, userId: string, tenantId: string | null) {
  const session = await createSession(ctx.core, {
    userId,
    activeTenantId: tenantId,
    ipAddress: ctx.request.ipAddress,
    userAgent: ctx.request.userAgent,
    now: ctx.now(),
  });
  ctx.cookies.set(session.token, session.expiresAt);
}

const tokenSchema = z.string().min(1).max(200);

/** Sign-up, sign-in, sign-out, password reset, invitations, and who is signed in. */
export const authRouter = router({
  /** The signed-in user, their workspaces, the active one with their role, and the CSRF token; null when signed out. */
  me: publicProcedure.query(async ({ ctx }) =>
    ctx.auth
      ? {
          user: ctx.auth.user,
          csrfToken: csrfTokenOf(ctx.auth.csrfSecret),
          ...(await accountWorkspaces(ctx.core, ctx.auth.user.id, ctx.auth.activeTenantId)),
          // The active workspace requires MFA and this user has none: pages send them to enrol.
          mfaEnrolmentRequired: ctx.auth.activeTenantId
            ? await mfaEnrolmentRequired(ctx.core, ctx.auth.activeTenantId, ctx.auth.user.id)
            : false,
          runtimeUrl: ctx.runtimeUrl,
        }
      : null,
  ),

  /**
   * Always answers the same ("check your e-mail"), whether or not the address has an account:
   * core mails a confirmation link, or tells the account's owner. No session starts here.
   */
  signUp: publicProcedure.input(signUpInputSchema).mutation(async ({ ctx, input }) => {
    await signUp(ctx.core, { ...input, now: ctx.now(), request: requestFactsOf(ctx.request) });
    return { ok: true as const };
  }),

  /** Opens the sign-up link: the account and its workspace are created, and a session starts. */
  confirmSignUp: publicProcedure.input(z.object({ token: tokenSchema })).mutation(async ({ ctx, input }) => {
    const { userId, tenantId } = await confirmSignUp(ctx.core, { token: input.token, now: ctx.now() });
    await startSession(ctx, userId, tenantId);
    return { tenantId };
  }),

  /**
   * Password step. Without MFA a session starts; with MFA the answer carries the challenge for
   * {@link signInSecondFactor} and no session.
   */
  signIn: publicProcedure
    .input(z.object({ email: emailAddressSchema, password: z.string().min(1).max(1_000) }))
    .mutation(async ({ ctx, input }) => {
      const request = requestFactsOf(ctx.request);
      const result = await signIn(ctx.core, { ...input, now: ctx.now(), request });
      if (result.step === "mfa") {
        return {
          mfaRequired: true as const,
          challengeToken: result.challengeToken,
          expiresAt: result.expiresAt,
        };
      }
      await startSession(ctx, result.userId, await defaultTenantOf(ctx.core, result.userId));
      return { mfaRequired: false as const, userId: result.userId };
    }),

  /** Second step: the challenge and an authenticator or recovery code; a session starts. */
  signInSecondFactor: publicProcedure
    .input(z.object({ challengeToken: mfaChallengeTokenSchema, code: mfaCodeSchema }))
    .mutation(async ({ ctx, input }) => {
      const request = requestFactsOf(ctx.request);
      const { userId } = await signInWithSecondFactor(ctx.core, { ...input, now: ctx.now(), request });
      await startSession(ctx, userId, await defaultTenantOf(ctx.core, userId));
      return { userId };
    }),

  signOut: authedProcedure.mutation(async ({ ctx }) => {
    await revokeSession(ctx.core, ctx.auth.sessionId, ctx.now());
    ctx.cookies.clear();
    await recordSignOut(ctx.core, ctx.auth.user, requestFactsOf(ctx.request));
    return { ok: true };
  }),

  /** Always answers ok: whether the address has an account is not disclosed. */
  requestPasswordReset: publicProcedure
    .input(z.object({ email: emailAddressSchema }))
    .mutation(async ({ ctx, input }) => {
      await requestPasswordReset(ctx.core, {
        email: input.email,
        now: ctx.now(),
        request: requestFactsOf(ctx.request),
      });
      return { ok: true };
    }),

  resetPassword: publicProcedure
    .input(z.object({ token: tokenSchema, password: passwordSchema }))
    .mutation(async ({ ctx, input }) => {
      const request = requestFactsOf(ctx.request);
      const { userId } = await resetPassword(ctx.core, { ...input, now: ctx.now(), request });
      await startSession(ctx, userId, await defaultTenantOf(ctx.core, userId));
      return { ok: true };
    }),

  invitation: publicProcedure
    .input(z.object({ token: tokenSchema }))
    .query(({ ctx, input }) => describeInvitation(ctx.core, input.token, ctx.now())),

  /**
   * Accepts an invitation: a signed-in user joins; someone without an account creates one with the
   * invited e-mail (name and password required) and is signed in.
   */
  acceptInvitation: publicProcedure
    .input(
      z.object({
        token: tokenSchema,
        name: z.string().trim().min(1).max(200).optional(),
        password: passwordSchema.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { tenantId, userId } = await acceptInvitation(ctx.core, {
        ...input,
        userId: ctx.auth?.user.id,
        now: ctx.now(),
      });
      if (ctx.auth) await setActiveTenant(ctx.core, ctx.auth.sessionId, tenantId);
      else await startSession(ctx, userId, tenantId);
      return { tenantId };
    }),
});
