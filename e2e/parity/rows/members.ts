import { inviteMember } from "@parley/core";
import { type AnyParityRow, parityRow } from "../row";

/** Members and invitations: the Members page and /api/v1/members, /api/v1/invitations. */
export const memberRows: readonly AnyParityRow[] = [
  parityRow({
    name: "list members",
    permission: "members:read",
    audit: null,
    studio: { procedure: "members.list", input: () => undefined },
    rest: { method: "GET", path: () => "/api/v1/members" },
  }),
  parityRow({
    name: "list invitations",
    permission: "members:read",
    audit: null,
    studio: { procedure: "members.invitations", input: () => undefined },
    rest: { method: "GET", path: () => "/api/v1/invitations" },
  }),
  parityRow({
    name: "invite someone",
    permission: "members:manage",
    audit: { action: "member.invite", targetType: "invitation" },
    studio: {
      procedure: "members.invite",
      input: (_, fx) => ({ email: `${fx.unique("invitee")}@example.com`, role: "editor" }),
    },
    rest: {
      method: "POST",
      path: () => "/api/v1/invitations",
      body: (_, fx) => ({ email: `${fx.unique("invitee")}@example.com`, role: "editor" }),
    },
  }),
  parityRow({
    name: "revoke an invitation",
    permission: "members:manage",
    audit: { action: "member.revoke_invitation", targetType: "invitation" },
    setup: (fx) => inviteMember(fx.owner, { email: `${fx.unique("revoked")}@example.com`, role: "viewer" }),
    studio: {
      procedure: "members.revokeInvitation",
      input: (invitation) => ({ invitationId: invitation.id }),
    },
    rest: { method: "DELETE", path: (invitation) => `/api/v1/invitations/${invitation.id}` },
  }),
  parityRow({
    name: "change a member's role",
    permission: "members:manage",
    audit: { action: "member.change_role", targetType: "user" },
    setup: (fx) => fx.member("viewer"),
    studio: { procedure: "members.changeRole", input: (m) => ({ userId: m.userId, role: "analyst" }) },
    rest: { method: "PATCH", path: (m) => `/api/v1/members/${m.userId}`, body: () => ({ role: "analyst" }) },
  }),
  parityRow({
    name: "remove a member",
    permission: "members:manage",
    audit: { action: "member.remove", targetType: "user" },
    setup: (fx) => fx.member("viewer"),
    studio: { procedure: "members.remove", input: (m) => ({ userId: m.userId }) },
    rest: { method: "DELETE", path: (m) => `/api/v1/members/${m.userId}` },
  }),
];
