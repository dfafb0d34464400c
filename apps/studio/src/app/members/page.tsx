"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useCan, useMe } from "../../client/session";
import { describeError, useTRPC } from "../../client/trpc";
import { FormProblems, invalidProps, issuesOf } from "../../components/field";
import { FormError } from "../../components/form-error";
import { Shell } from "../../components/shell";

const ROLES = ["owner", "admin", "editor", "analyst", "viewer", "agent"] as const;
type RoleName = (typeof ROLES)[number];

/** Roles the signed-in member may hand out: none above their own. */
function assignable(own: string | undefined): RoleName[] {
  const index = ROLES.indexOf(own as RoleName);
  return index === -1 ? [] : ROLES.slice(index);
}

/** Owners: require multi-factor sign-in of every member (the workspace setting). */
function RequireMfaSetting() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const setting = useQuery(trpc.tenants.mfaSetting.queryOptions());
  const save = useMutation(
    trpc.tenants.setRequireMfa.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(),
    }),
  );
  return (
    <section style={{ marginBottom: 16 }}>
      <label className="row">
        <input
          type="checkbox"
          data-testid="require-mfa"
          checked={setting.data?.requireMfa ?? false}
          disabled={!setting.data || save.isPending}
          onChange={(event) => save.mutate({ requireMfa: event.target.checked })}
          style={{ width: "auto" }}
        />
        Require multi-factor sign-in for all members
      </label>
      <p className="muted">
        Members without an authenticator app cannot use this workspace until they set one up (in Account
        security). Set up yours first.
      </p>
      <FormError error={save.error ?? setting.error} />
    </section>
  );
}

/** The bots an agent member works on (agents see only these bots' inbox and conversations). */
function AgentBots({
  userId,
  botIds,
  editable,
}: {
  userId: string;
  botIds: readonly string[];
  editable: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const bots = useQuery(trpc.bots.list.queryOptions());
  const save = useMutation(
    trpc.members.setAgentBots.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.members.pathKey() }),
    }),
  );
  const chosen = new Set(botIds);
  return (
    <fieldset data-testid={`agent-bots-${userId}`} style={{ border: 0, padding: 0, margin: 0 }}>
      <legend className="muted">Bots</legend>
      {(bots.data ?? []).map((bot) => (
        <label key={bot.id} className="row" style={{ gap: 4 }}>
          <input
            type="checkbox"
            style={{ width: "auto" }}
            aria-label={`Agent works on ${bot.name}`}
            checked={chosen.has(bot.id)}
            disabled={!editable || save.isPending}
            onChange={(event) => {
              const next = new Set(chosen);
              if (event.target.checked) next.add(bot.id);
              else next.delete(bot.id);
              save.mutate({ userId, botIds: [...next] });
            }}
          />
          {bot.name}
        </label>
      ))}
      {bots.data?.length === 0 && <span className="muted">No bots yet.</span>}
      <FormError error={save.error} />
    </fieldset>
  );
}

function Members() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useMe();
  const canManage = useCan("members:manage");
  const isOwner = useCan("tenant:manage");
  const members = useQuery(trpc.members.list.queryOptions());
  const invitations = useQuery(trpc.members.invitations.queryOptions());
  const roles = assignable(me.data?.activeTenant?.role);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<RoleName>("editor");
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.members.pathKey() });
  const invite = useMutation(
    trpc.members.invite.mutationOptions({
      onSuccess: () => {
        setEmail("");
        return refresh();
      },
    }),
  );
  const changeRole = useMutation(trpc.members.changeRole.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.members.remove.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.members.revokeInvitation.mutationOptions({ onSuccess: refresh }));
  // An address that is already a member is a problem of the e-mail field, like a malformed one.
  const inviteFailure = invite.error ? describeError(invite.error) : null;
  const emailError =
    issuesOf(invite.error).email ??
    (inviteFailure?.serviceCode === "already-member" ? inviteFailure.message : undefined);
  const roleError = issuesOf(invite.error).role;
  return (
    <main className="shell-main">
      <h1>Members</h1>
      {isOwner && <RequireMfaSetting />}
      {canManage && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            invite.mutate({ email, role });
          }}
        >
          <div className="row">
            <input
              id="invite-email"
              type="email"
              aria-label="E-mail to invite"
              placeholder="name@example.com"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              required
              style={{ maxWidth: 280 }}
              {...invalidProps("invite-email", emailError)}
            />
            <select
              id="invite-role"
              aria-label="Role"
              value={role}
              onChange={(e) => setRole(e.target.value as RoleName)}
              style={{ maxWidth: 140 }}
              {...invalidProps("invite-role", roleError)}
            >
              {roles.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
            <button className="primary" type="submit" disabled={invite.isPending}>
              Invite
            </button>
            {invite.isSuccess && <span className="muted">Invitation sent.</span>}
          </div>
          {emailError && (
            <div className="field-error" id="invite-email-error" role="alert">
              {emailError}
            </div>
          )}
          {roleError && (
            <div className="field-error" id="invite-role-error" role="alert">
              Role: {roleError}
            </div>
          )}
          {!emailError && !roleError && <FormProblems error={invite.error} shown={["email", "role"]} />}
        </form>
      )}
      <FormError error={changeRole.error ?? remove.error ?? revoke.error ?? members.error} />
      <table style={{ marginTop: 16 }}>
        <thead>
          <tr>
            <th>Name</th>
            <th>E-mail</th>
            <th>Role</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {members.data?.map((member) => {
            const editable = canManage && roles.includes(member.role as RoleName);
            return (
              <tr key={member.userId}>
                <td>{member.name}</td>
                <td>{member.email}</td>
                <td>
                  {editable ? (
                    <select
                      aria-label={`Role of ${member.email}`}
                      value={member.role}
                      onChange={(e) =>
                        changeRole.mutate({ userId: member.userId, role: e.target.value as RoleName })
                      }
                      style={{ maxWidth: 140 }}
                    >
                      {roles.map((r) => (
                        <option key={r}>{r}</option>
                      ))}
                    </select>
                  ) : (
                    member.role
                  )}
                  {member.role === "agent" && (
                    <AgentBots
                      userId={member.userId}
                      botIds={member.agentBotIds ?? []}
                      editable={canManage}
                    />
                  )}
                </td>
                <td>
                  {editable && member.userId !== me.data?.user.id && (
                    <button
                      className="small danger"
                      type="button"
                      onClick={() =>
                        window.confirm(`Remove ${member.email}?`) && remove.mutate({ userId: member.userId })
                      }
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {(invitations.data?.length ?? 0) > 0 && (
        <>
          <h2>Pending invitations</h2>
          <table>
            <tbody>
              {invitations.data?.map((invitation) => (
                <tr key={invitation.id}>
                  <td>{invitation.email}</td>
                  <td>{invitation.role}</td>
                  <td className="muted">expires {new Date(invitation.expiresAt).toLocaleDateString()}</td>
                  <td>
                    {canManage && (
                      <button
                        className="small"
                        type="button"
                        onClick={() => revoke.mutate({ invitationId: invitation.id })}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </main>
  );
}

/** Members of the workspace: invite, change role, remove. */
export default function MembersPage() {
  return (
    <Shell>
      <Members />
    </Shell>
  );
}
