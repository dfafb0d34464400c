import { inviteMemberInputSchema } from "@parley/contract";
import {
  changeMemberRole,
  inviteMember,
  listInvitations,
  listMembers,
  removeMember,
  revokeInvitation,
  setAgentBotAccess,
} from "@parley/core";
import { z } from "zod";
import { roleSchema } from "../access";
import { serviceContext } from "../core-bridge";
import { idSchema, router, tenantProcedure } from "../trpc";

/** Members and invitations of the active workspace (REST twins: /api/v1/members, /api/v1/invitations). */
export const membersRouter = router({
  list: tenantProcedure("members:read").query(({ ctx }) => listMembers(serviceContext(ctx))),
  invitations: tenantProcedure("members:read").query(({ ctx }) => listInvitations(serviceContext(ctx))),
  invite: tenantProcedure("members:manage")
    .input(inviteMemberInputSchema)
    .mutation(({ ctx, input }) => inviteMember(serviceContext(ctx), input)),
  revokeInvitation: tenantProcedure("members:manage")
    .input(z.object({ invitationId: idSchema }))
    .mutation(async ({ ctx, input }) => {
      await revokeInvitation(serviceContext(ctx), input.invitationId);
      return { ok: true };
    }),
  changeRole: tenantProcedure("members:manage")
    .input(z.object({ userId: idSchema, role: roleSchema }))
    .mutation(({ ctx, input }) => changeMemberRole(serviceContext(ctx), input.userId, { role: input.role })),
  setAgentBots: tenantProcedure("members:manage")
    .input(z.object({ userId: idSchema, botIds: z.array(idSchema).max(500) }))
    .mutation(({ ctx, input }) =>
      setAgentBotAccess(serviceContext(ctx), input.userId, { botIds: input.botIds }),
    ),
  remove: tenantProcedure("members:manage")
    .input(z.object({ userId: idSchema }))
    .mutation(async ({ ctx, input }) => {
      await removeMember(serviceContext(ctx), input.userId);
      return { ok: true };
    }),
});
