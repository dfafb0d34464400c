import { createOwnedWorkspace, renameTenant, requestFactsOf, switchWorkspace } from "@parley/core";
import { z } from "zod";
import { serviceContext } from "../core-bridge";
import { authedProcedure, idSchema, router, tenantProcedure } from "../trpc";

/** Workspaces (tenants): switch, create, rename. */
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
});
