import {
  changeMemberRoleInputSchema,
  invitationViewSchema,
  inviteMemberInputSchema,
  memberViewSchema,
} from "@parley/contract";
import {
  changeMemberRole,
  inviteMember,
  listInvitations,
  listMembers,
  removeMember,
  revokeInvitation,
} from "@parley/core";
import { z } from "zod";
import { type AnyRouteSpec, defineRoute } from "../route-spec";

const memberParams = z
  .object({ memberId: z.string().min(1).max(100).describe("The member's user id") })
  .strict();
const invitationParams = z
  .object({ invitationId: z.string().min(1).max(100).describe("The invitation's id") })
  .strict();

const keyRules =
  "A key acts with an admin's reach: it never invites, promotes, demotes or removes an owner, and the " +
  "last owner always stays. `members:manage` must be granted explicitly (`*` does not include it).";

/** Members and invitations: the REST twins of the studio's Members page (same core functions). */
export const membersRoutes: AnyRouteSpec[] = [
  defineRoute({
    method: "GET",
    path: "/api/v1/members",
    operationId: "listMembers",
    summary: "List the workspace's members (owners first)",
    tag: "Members",
    permission: "members:read",
    success: {
      status: 200,
      description: "The members",
      schema: z.object({ items: z.array(memberViewSchema) }),
    },
    handler: async ({ ctx }) => ({ items: await listMembers(ctx) }),
  }),
  defineRoute({
    method: "PATCH",
    path: "/api/v1/members/{memberId}",
    operationId: "changeMemberRole",
    summary: "Change a member's role",
    description: keyRules,
    tag: "Members",
    permission: "members:manage",
    params: memberParams,
    body: changeMemberRoleInputSchema,
    success: { status: 200, description: "The member with the new role", schema: memberViewSchema },
    errors: [404, 409, 422],
    handler: ({ params, body, ctx }) => changeMemberRole(ctx, params.memberId, body),
  }),
  defineRoute({
    method: "DELETE",
    path: "/api/v1/members/{memberId}",
    operationId: "removeMember",
    summary: "Remove a member from the workspace",
    description: keyRules,
    tag: "Members",
    permission: "members:manage",
    params: memberParams,
    success: { status: 204, description: "Removed" },
    errors: [404, 409],
    handler: ({ params, ctx }) => removeMember(ctx, params.memberId),
  }),
  defineRoute({
    method: "GET",
    path: "/api/v1/invitations",
    operationId: "listInvitations",
    summary: "List pending invitations (newest first)",
    tag: "Members",
    permission: "members:read",
    success: {
      status: 200,
      description: "Invitations not yet accepted, revoked or expired",
      schema: z.object({ items: z.array(invitationViewSchema) }),
    },
    handler: async ({ ctx }) => ({ items: await listInvitations(ctx) }),
  }),
  defineRoute({
    method: "POST",
    path: "/api/v1/invitations",
    operationId: "inviteMember",
    summary: "Invite someone by e-mail with a role",
    description: `The invitee gets an e-mail with a link into the studio, valid for 7 days. ${keyRules}`,
    tag: "Members",
    permission: "members:manage",
    body: inviteMemberInputSchema,
    success: { status: 201, description: "Invited", schema: invitationViewSchema },
    errors: [409, 422, 503],
    handler: ({ body, ctx }) => inviteMember(ctx, body),
  }),
  defineRoute({
    method: "DELETE",
    path: "/api/v1/invitations/{invitationId}",
    operationId: "revokeInvitation",
    summary: "Revoke a pending invitation",
    tag: "Members",
    permission: "members:manage",
    params: invitationParams,
    success: { status: 204, description: "Revoked: the link no longer works" },
    errors: [404],
    handler: ({ params, ctx }) => revokeInvitation(ctx, params.invitationId),
  }),
];
