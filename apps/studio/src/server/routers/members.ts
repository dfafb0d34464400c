import { z } from "zod";
import { roleSchema } from "../access";
import { serviceContext } from "../core-bridge";
import { emailSchema } from "../services/accounts";
import {
  changeMemberRole,
  inviteMember,
  listInvitations,
  listMembers,
  removeMember,
  revokeInvitation,
} from "../services/members";
import { idSchema, router, tenantProcedure } from "../trpc";

/** Members and invitations of the active workspace. */
export const membersRouter = router({
  list: tenantProcedure("members:read").query(({ ctx }) => listMembers(serviceContext(ctx))),
  invitations: tenantProcedure("members:read").query(({ ctx }) =>
    listInvitations(serviceContext(ctx), ctx.now()),
  ),
  invite: tenantProcedure("members:manage")
    .input(z.object({ email: emailSchema, role: roleSchema }))
    .mutation(({ ctx, input }) =>
      inviteMember(serviceContext(ctx), ctx.mailer, { ...input, studioUrl: ctx.studioUrl, now: ctx.now() }),
    ),
  revokeInvitation: tenantProcedure("members:manage")
    .input(z.object({ invitationId: idSchema }))
    .mutation(async ({ ctx, input }) => {
      await revokeInvitation(serviceContext(ctx), input.invitationId, ctx.now());
      return { ok: true };
    }),
  changeRole: tenantProcedure("members:manage")
    .input(z.object({ userId: idSchema, role: roleSchema }))
    .mutation(({ ctx, input }) => changeMemberRole(serviceContext(ctx), input.userId, input.role)),
  remove: tenantProcedure("members:manage")
    .input(z.object({ userId: idSchema }))
    .mutation(async ({ ctx, input }) => {
      await removeMember(serviceContext(ctx), input.userId);
      return { ok: true };
    }),
});
