import { requireMfaSettingSchema } from "@parley/contract";
import {
  createOwnedWorkspace,
  renameTenant,
  requestFactsOf,
  setWorkspaceMfaRequirement,
  switchWorkspace,
  workspaceMfaSetting,
} from "@parley/core";
import { z } from "zod";
import { serviceContext } from "../core-bridge";
import { authedProcedure, idSchema, router, tenantProcedure } from "../trpc";

/** Workspaces (tenants): switch, create, rename, require MFA. */
export const tenantsRouter = router({
  /** Makes `tenantId` the session's active workspace; the user must be a member of it. */
  switch: authedProcedure.input(z.object({ tenantId: idSchema })).mutation(({ ctx, input }) =>
    switchWorkspace(ctx.core, {
      sessionId: ctx.auth.sessionId,
      user: ctx.auth.user,
      tenantId: input.tenantId,
      request: requestFactsOf(ctx.request),
    }),
  ),

  /** Creates a workspace owned by the caller, who must already own one (and switches to it). */
  create: authedProcedure
    .input(z.object({ name: z.string().trim().min(1).max(200) }))
    .mutation(({ ctx, input }) =>
      createOwnedWorkspace(ctx.core, {
        sessionId: ctx.auth.sessionId,
        userId: ctx.auth.user.id,
        name: input.name,
      }),
    ),

  /** Renames the active workspace. */
  rename: tenantProcedure("tenant:manage")
    .input(z.object({ name: z.string().trim().min(1).max(200) }))
    .mutation(({ ctx, input }) => renameTenant(serviceContext(ctx), input)),

  /** Whether members must use multi-factor sign-in (owners). */
  mfaSetting: tenantProcedure("tenant:manage").query(({ ctx }) => workspaceMfaSetting(serviceContext(ctx))),

  /** Requires (or stops requiring) multi-factor sign-in of every member; owners only. */
  setRequireMfa: tenantProcedure("tenant:manage")
    .input(requireMfaSettingSchema)
    .mutation(({ ctx, input }) => setWorkspaceMfaRequirement(serviceContext(ctx), input)),
});
