import { allPermissions, createUser, recordAccountAudit, roleAllows, ServiceError } from "@parley/core";
import { z } from "zod";
import { createSession, csrfTokenOf, revokeSession } from "../auth/sessions";
import type { StudioContext } from "../context";
import {
  authenticate,
  defaultTenantOf,
  emailSchema,
  passwordSchema,
  requestFactsOf,
  requestPasswordReset,
  resetPassword,
  signUp,
} from "../services/accounts";
import { acceptInvitation, describeInvitation } from "../services/members";
import { authedProcedure, publicProcedure, router } from "../trpc";

async function startSession(ctx: StudioContext, userId: string, tenantId: string | null) {
  const session = await createSession(ctx.db, {
    userId,
    activeTenantId: tenantId,
    ipAddress: ctx.request.ipAddress,
    userAgent: ctx.request.userAgent,
    now: ctx.now(),
  });
  ctx.cookies.set(session.token, session.expiresAt);
}

/** Sign-up, sign-in, sign-out, password reset, invitations, and who is signed in. */
export const authRouter = router({
  /** The signed-in user, their workspaces, the active one with their role, and the CSRF token; null when signed out. */
  me: publicProcedure.query(async ({ ctx }) => {
    if (!ctx.auth) return null;
    const memberships = await ctx.db.system.membership.findMany({
      where: { userId: ctx.auth.user.id, tenant: { disabledAt: null } },
      include: { tenant: { select: { id: true, name: true, slug: true } } },
      orderBy: { createdAt: "asc" },
    });
    const active = memberships.find((m) => m.tenantId === ctx.auth?.activeTenantId) ?? null;
    return {
      user: ctx.auth.user,
      csrfToken: csrfTokenOf(ctx.auth.csrfSecret),
      tenants: memberships.map((m) => ({
        id: m.tenant.id,
        name: m.tenant.name,
        slug: m.tenant.slug,
        role: m.role,
      })),
      activeTenant: active
        ? {
            id: active.tenant.id,
            name: active.tenant.name,
            role: active.role,
            // What the role may do, so pages hide what it cannot (the server refuses it anyway).
            permissions: allPermissions.filter((permission) => roleAllows(active.role, permission)),
          }
        : null,
      runtimeUrl: ctx.runtimeUrl,
    };
  }),

  signUp: publicProcedure
    .input(
      z.object({
        email: emailSchema,
        name: z.string().trim().min(1, "is required").max(200),
        password: passwordSchema,
        workspaceName: z.string().trim().max(200).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { userId, tenantId } = await signUp(ctx.core, input);
      await startSession(ctx, userId, tenantId);
      return { userId, tenantId };
    }),

  signIn: publicProcedure
    .input(z.object({ email: emailSchema, password: z.string().min(1).max(1_000) }))
    .mutation(async ({ ctx, input }) => {
      const { userId } = await authenticate(
        ctx.db,
        input.email,
        input.password,
        ctx.now(),
        requestFactsOf(ctx.request),
      );
      await startSession(ctx, userId, await defaultTenantOf(ctx.db, userId));
      return { userId };
    }),

  signOut: authedProcedure.mutation(async ({ ctx }) => {
    await revokeSession(ctx.db, ctx.auth.sessionId, ctx.now());
    ctx.cookies.clear();
    await recordAccountAudit(ctx.db, {
      action: "auth.sign_out",
      userId: ctx.auth.user.id,
      email: ctx.auth.user.email,
      byAccountOwner: true,
      ...requestFactsOf(ctx.request),
    });
    return { ok: true };
  }),

  /** Always answers ok: whether the address has an account is not disclosed. */
  requestPasswordReset: publicProcedure
    .input(z.object({ email: emailSchema }))
    .mutation(async ({ ctx, input }) => {
      await requestPasswordReset(ctx.db, ctx.mailer, {
        email: input.email,
        studioUrl: ctx.studioUrl,
        now: ctx.now(),
        request: requestFactsOf(ctx.request),
      });
      return { ok: true };
    }),

  resetPassword: publicProcedure
    .input(z.object({ token: z.string().min(1).max(200), password: passwordSchema }))
    .mutation(async ({ ctx, input }) => {
      const { userId } = await resetPassword(ctx.db, {
        ...input,
        now: ctx.now(),
        request: requestFactsOf(ctx.request),
      });
      await startSession(ctx, userId, await defaultTenantOf(ctx.db, userId));
      return { ok: true };
    }),

  invitation: publicProcedure
    .input(z.object({ token: z.string().min(1).max(200) }))
    .query(({ ctx, input }) => describeInvitation(ctx, input.token, ctx.now())),

  /**
   * Accepts an invitation: a signed-in user joins; someone without an account creates one with the
   * invited e-mail (name and password required) and is signed in.
   */
  acceptInvitation: publicProcedure
    .input(
      z.object({
        token: z.string().min(1).max(200),
        name: z.string().trim().min(1).max(200).optional(),
        password: passwordSchema.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const info = await describeInvitation(ctx, input.token, ctx.now());
      let userId = ctx.auth?.user.id;
      if (!userId) {
        if (info.userExists) {
          throw new ServiceError("unauthenticated", "sign-in-first", `Sign in as ${info.email} to accept.`);
        }
        if (!input.name || !input.password) {
          throw new ServiceError(
            "invalid",
            "invalid-input",
            "Choose a name and a password to create your account.",
          );
        }
        const name = input.name;
        const password = input.password;
        userId = (await createUser(ctx.core, { email: info.email, name, password })).id;
      }
      const acceptingUser = userId;
      const { tenantId } = await acceptInvitation(ctx.db, {
        token: input.token,
        userId: acceptingUser,
        now: ctx.now(),
      });
      if (ctx.auth) {
        await ctx.db.system.studioSession.update({
          where: { id: ctx.auth.sessionId },
          data: { activeTenantId: tenantId },
        });
      } else {
        await startSession(ctx, acceptingUser, tenantId);
      }
      return { tenantId };
    }),
});
