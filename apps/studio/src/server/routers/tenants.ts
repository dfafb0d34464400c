import { createTenant, recordAccountAudit, recordAudit, ServiceError } from "@parley/core";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { serviceContext } from "../core-bridge";
import { requestFactsOf } from "../services/accounts";
import { authedProcedure, idSchema, router, tenantProcedure } from "../trpc";

/** Workspaces (tenants): switch, create, rename. */
export const tenantsRouter = router({
  /** Makes `tenantId` the session's active workspace; the user must be a member of it. */
  switch: authedProcedure.input(z.object({ tenantId: idSchema })).mutation(async ({ ctx, input }) => {
    const membership = await ctx.db.system.membership.findFirst({
      where: { tenantId: input.tenantId, userId: ctx.auth.user.id, tenant: { disabledAt: null } },
    });
    // The same answer for a tenant that does not exist and one the user is not in.
    if (!membership)
      throw new TRPCError({ code: "NOT_FOUND", message: `workspace ${input.tenantId} was not found` });
    await ctx.db.system.studioSession.update({
      where: { id: ctx.auth.sessionId },
      data: { activeTenantId: input.tenantId },
    });
    // Recorded in the workspace entered (the one left is not named: it may be none of its business).
    await recordAccountAudit(ctx.db, {
      action: "auth.tenant_switch",
      userId: ctx.auth.user.id,
      email: ctx.auth.user.email,
      byAccountOwner: true,
      tenantIds: [input.tenantId],
      after: { tenantId: input.tenantId, role: membership.role },
      ...requestFactsOf(ctx.request),
    });
    return { tenantId: input.tenantId, role: membership.role };
  }),

  /** Creates a workspace owned by the caller, who must already own one (and switches to it). */
  create: authedProcedure
    .input(z.object({ name: z.string().trim().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const owns = await ctx.db.system.membership.count({
        where: { userId: ctx.auth.user.id, role: "owner" },
      });
      if (owns === 0)
        throw new ServiceError("forbidden", "forbidden", "Only owners of a workspace can create workspaces.");
      const tenant = await createTenant(ctx.core, { name: input.name, ownerUserId: ctx.auth.user.id });
      await ctx.db.system.studioSession.update({
        where: { id: ctx.auth.sessionId },
        data: { activeTenantId: tenant.id },
      });
      return tenant;
    }),

  /** Renames the active workspace. */
  rename: tenantProcedure("tenant:manage")
    .input(z.object({ name: z.string().trim().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const before = await ctx.tenant.db.tenant.findFirstOrThrow({ select: { name: true } });
      return ctx.tenant.db.$transaction(async (tx) => {
        const tenant = await tx.tenant.update({ where: { id: ctx.tenant.id }, data: { name: input.name } });
        await recordAudit(tx, serviceContext(ctx), {
          action: "tenant.update",
          targetType: "tenant",
          targetId: ctx.tenant.id,
          before,
          after: { name: input.name },
        });
        return { id: tenant.id, name: tenant.name };
      });
    }),
});
