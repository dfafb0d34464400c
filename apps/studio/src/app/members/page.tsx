"use client";

import { inviteMemberInputSchema, type Role, roleSchema } from "@parley/contract";
import {
  Badge,
  Box,
  Button,
  Card,
  Checkbox,
  Flex,
  Heading,
  Select,
  Switch,
  Table,
  Text,
} from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCan, useMe } from "../../client/session";
import { describeError, useTRPC } from "../../client/trpc";
import { FormProblems } from "../../components/field";
import { FormActions } from "../../components/form-actions";
import { FormError } from "../../components/form-error";
import { Shell } from "../../components/shell";
import { ConfirmButton } from "../../components/ui/confirm-dialog";
import { applyServerErrorsWhere, SelectFormField, useContractForm } from "../../components/ui/form-controls";
import { TextFormField } from "../../components/ui/form-field";
import { Page, TableSkeleton } from "../../components/ui/page";
import { toast } from "../../components/ui/toast";

/** The contract's roles, from most to least powerful. */
const ROLES = roleSchema.options;

/** Roles the signed-in member may hand out: none above their own. */
function assignable(own: string | undefined): Role[] {
  const index = ROLES.indexOf(own as Role);
  return index === -1 ? [] : ROLES.slice(index);
}

/** Owners: require multi-factor sign-in of every member (the workspace setting). */
function RequireMfaSetting() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const setting = useQuery(trpc.tenants.mfaSetting.queryOptions());
  const save = useMutation(
    trpc.tenants.setRequireMfa.mutationOptions({
      onSuccess: (_, { requireMfa }) => {
        toast.success(
          requireMfa ? "Multi-factor sign-in is now required." : "Multi-factor sign-in is optional.",
        );
        return queryClient.invalidateQueries();
      },
    }),
  );
  return (
    <Card mb="4">
      <Text as="label" size="2" weight="medium">
        <Flex gap="2" align="center">
          <Switch
            data-testid="require-mfa"
            checked={setting.data?.requireMfa ?? false}
            disabled={!setting.data || save.isPending}
            onCheckedChange={(checked) => save.mutate({ requireMfa: checked })}
          />
          Require multi-factor sign-in for all members
        </Flex>
      </Text>
      <Text as="p" size="2" color="gray" mt="1">
        Members without an authenticator app cannot use this workspace until they set one up (in Account
        security). Set up yours first.
      </Text>
      <FormError error={save.error ?? setting.error} />
    </Card>
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
    <Box asChild mt="2">
      <fieldset data-testid={`agent-bots-${userId}`} style={{ border: 0, padding: 0 }}>
        <Text as="div" size="1" color="gray" asChild>
          <legend>Bots</legend>
        </Text>
        {(bots.data ?? []).map((bot) => (
          <Text as="label" size="2" key={bot.id}>
            <Flex gap="2" align="center" mt="1">
              <Checkbox
                aria-label={`Agent works on ${bot.name}`}
                checked={chosen.has(bot.id)}
                disabled={!editable || save.isPending}
                onCheckedChange={(checked) => {
                  const next = new Set(chosen);
                  if (checked === true) next.add(bot.id);
                  else next.delete(bot.id);
                  save.mutate({ userId, botIds: [...next] });
                }}
              />
              {bot.name}
            </Flex>
          </Text>
        ))}
        {bots.data?.length === 0 && (
          <Text size="1" color="gray">
            No bots yet.
          </Text>
        )}
        <FormError error={save.error} />
      </fieldset>
    </Box>
  );
}

function RoleSelect({
  value,
  roles,
  onChange,
  ...props
}: {
  value: Role;
  roles: readonly Role[];
  onChange: (role: Role) => void;
  "aria-label": string;
}) {
  return (
    <Select.Root value={value} onValueChange={(next) => onChange(next as Role)}>
      <Select.Trigger {...props} style={{ width: 130 }} />
      <Select.Content position="popper">
        {roles.map((role) => (
          <Select.Item key={role} value={role}>
            {role}
          </Select.Item>
        ))}
      </Select.Content>
    </Select.Root>
  );
}

/**
 * Invites someone by e-mail with a role (none above one's own), checked with the contract's invite
 * input; an address that is already a member is a problem of the e-mail field, like a malformed one.
 */
function InviteForm({ roles, onInvited }: { roles: readonly Role[]; onInvited: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const form = useContractForm(inviteMemberInputSchema, { defaultValues: { email: "", role: "editor" } });
  const invite = useMutation(
    trpc.members.invite.mutationOptions({
      onSuccess: (_, input) => {
        toast.success(`Invitation sent to ${input.email}.`);
        form.reset({ email: "", role: form.getValues("role") });
        return onInvited();
      },
      onError: (error) => {
        applyServerErrorsWhere(form, error, /^(email|role)$/);
        const failure = describeError(error);
        if (failure.serviceCode === "already-member") form.setError("email", { message: failure.message });
      },
    }),
  );
  const alreadyMember = describeError(invite.error).serviceCode === "already-member";
  return (
    <form
      aria-label="Invite a member"
      noValidate
      onSubmit={form.handleSubmit((input) => invite.mutate(input))}
    >
      <Flex gap="4" wrap="wrap" align="start">
        <TextFormField
          form={form}
          name="email"
          id="invite-email"
          type="email"
          label="E-mail to invite"
          placeholder="name@example.com"
          autoComplete="off"
          style={{ width: 280 }}
        />
        <SelectFormField
          form={form}
          name="role"
          id="invite-role"
          label="Role"
          options={roles}
          style={{ width: 130 }}
        />
      </Flex>
      <FormProblems error={alreadyMember ? null : invite.error} shown={["email", "role"]} />
      <FormActions label="Invite" pendingLabel="Inviting…" pending={invite.isPending} />
    </form>
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
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.members.pathKey() });
  const changeRole = useMutation(trpc.members.changeRole.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.members.remove.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.members.revokeInvitation.mutationOptions({ onSuccess: refresh }));
  return (
    <Page title="Members" description="People in this workspace and what their role lets them do.">
      {isOwner && <RequireMfaSetting />}
      {canManage && <InviteForm roles={roles} onInvited={refresh} />}
      <FormError error={changeRole.error ?? remove.error ?? revoke.error ?? members.error} />
      <Box mt="4">
        {!members.data ? (
          <TableSkeleton columns={4} />
        ) : (
          <Table.Root variant="surface">
            <Table.Header>
              <Table.Row>
                <Table.ColumnHeaderCell>Name</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>E-mail</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>Role</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>
                  <span className="sr-only">Actions</span>
                </Table.ColumnHeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {members.data.map((member) => {
                const editable = canManage && roles.includes(member.role as Role);
                return (
                  <Table.Row key={member.userId}>
                    <Table.Cell>{member.name}</Table.Cell>
                    <Table.Cell>{member.email}</Table.Cell>
                    <Table.Cell>
                      {editable ? (
                        <RoleSelect
                          aria-label={`Role of ${member.email}`}
                          value={member.role as Role}
                          roles={roles}
                          onChange={(next) => changeRole.mutate({ userId: member.userId, role: next })}
                        />
                      ) : (
                        <Badge color="gray">{member.role}</Badge>
                      )}
                      {member.role === "agent" && (
                        <AgentBots
                          userId={member.userId}
                          botIds={member.agentBotIds ?? []}
                          editable={canManage}
                        />
                      )}
                    </Table.Cell>
                    <Table.Cell justify="end">
                      {editable && member.userId !== me.data?.user.id && (
                        <ConfirmButton
                          title={`Remove ${member.email}?`}
                          description="They lose access to this workspace at once. You can invite them again later."
                          confirmLabel="Remove member"
                          onConfirm={() => remove.mutateAsync({ userId: member.userId })}
                        >
                          Remove
                        </ConfirmButton>
                      )}
                    </Table.Cell>
                  </Table.Row>
                );
              })}
            </Table.Body>
          </Table.Root>
        )}
      </Box>
      {(invitations.data?.length ?? 0) > 0 && (
        <>
          <Heading as="h2" size="4" mt="5" mb="2">
            Pending invitations
          </Heading>
          <Table.Root variant="surface">
            <Table.Body>
              {invitations.data?.map((invitation) => (
                <Table.Row key={invitation.id}>
                  <Table.Cell>{invitation.email}</Table.Cell>
                  <Table.Cell>
                    <Badge color="gray">{invitation.role}</Badge>
                  </Table.Cell>
                  <Table.Cell>
                    <Text color="gray">expires {new Date(invitation.expiresAt).toLocaleDateString()}</Text>
                  </Table.Cell>
                  <Table.Cell justify="end">
                    {canManage && (
                      <Button
                        size="1"
                        variant="soft"
                        color="gray"
                        type="button"
                        onClick={() => revoke.mutate({ invitationId: invitation.id })}
                      >
                        Revoke
                      </Button>
                    )}
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table.Root>
        </>
      )}
    </Page>
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
