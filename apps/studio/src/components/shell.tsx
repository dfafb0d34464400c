"use client";

import {
  Button,
  Dialog,
  DropdownMenu,
  Flex,
  Link as RadixLink,
  Select,
  TabNav,
  Text,
} from "@radix-ui/themes";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { CircleUser } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { type ReactNode, useState } from "react";
import { z } from "zod";
import { RequireSignIn, sessionChanged, useCan, useMe } from "../client/session";
import { useTRPC } from "../client/trpc";
import { FormProblems } from "./field";
import { FormError } from "./form-error";
import { applyServerErrors, TextFormField, useZodForm } from "./ui/form-field";
import { ThemeToggle } from "./ui/theme-toggle";

const NEW_WORKSPACE = "__new";
const workspaceForm = z.object({ name: z.string().trim().min(1, "is required").max(200) });

/** "New workspace" in a dialog (owners only), instead of the browser's prompt. */
function NewWorkspaceDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const form = useZodForm(workspaceForm, { defaultValues: { name: "" } });
  const create = useMutation(
    trpc.tenants.create.mutationOptions({
      onSuccess: async () => {
        onOpenChange(false);
        form.reset();
        await sessionChanged(queryClient);
        router.push("/bots");
      },
      onError: (error) => applyServerErrors(form, error, ["name"]),
    }),
  );
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Content maxWidth="420px">
        <Dialog.Title>New workspace</Dialog.Title>
        <Dialog.Description size="2" color="gray">
          A workspace holds its own bots, members, keys and models. You become its owner.
        </Dialog.Description>
        <form onSubmit={form.handleSubmit((values) => create.mutate(values))} noValidate>
          <TextFormField
            form={form}
            name="name"
            id="new-workspace-name"
            label="Name"
            placeholder="Acme Inc."
          />
          <FormProblems error={create.error} shown={["name"]} />
          <Flex gap="3" mt="4" justify="end">
            <Dialog.Close>
              <Button type="button" variant="soft" color="gray">
                Cancel
              </Button>
            </Dialog.Close>
            <Button type="submit" disabled={create.isPending}>
              Create workspace
            </Button>
          </Flex>
        </form>
      </Dialog.Content>
    </Dialog.Root>
  );
}

/** Workspace switcher (a Radix Select), with "new workspace" for owners. */
function WorkspaceSwitcher() {
  const trpc = useTRPC();
  const me = useMe();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [creating, setCreating] = useState(false);
  const switchTenant = useMutation(
    trpc.tenants.switch.mutationOptions({
      onSuccess: async () => {
        await sessionChanged(queryClient);
        router.push("/bots");
      },
    }),
  );
  const ownsOne = me.data?.tenants.some((t) => t.role === "owner") ?? false;
  return (
    <Flex align="center" gap="2">
      <Select.Root
        size="2"
        value={me.data?.activeTenant?.id ?? ""}
        onValueChange={(value) => {
          if (value === NEW_WORKSPACE) setCreating(true);
          else switchTenant.mutate({ tenantId: value });
        }}
      >
        <Select.Trigger aria-label="Workspace" placeholder="Choose a workspace" style={{ width: 190 }} />
        <Select.Content position="popper">
          {me.data?.tenants.map((tenant) => (
            <Select.Item key={tenant.id} value={tenant.id}>
              {tenant.name} ({tenant.role})
            </Select.Item>
          ))}
          {ownsOne && (
            <>
              <Select.Separator />
              <Select.Item value={NEW_WORKSPACE}>+ New workspace…</Select.Item>
            </>
          )}
        </Select.Content>
      </Select.Root>
      <NewWorkspaceDialog open={creating} onOpenChange={setCreating} />
      <FormError error={switchTenant.error} />
    </Flex>
  );
}

/** The signed-in frame: navigation (only what the role may see), workspace switcher, sign out. */
export function Shell({ children }: { children: ReactNode }) {
  return (
    <RequireSignIn>
      <ShellFrame workspacePage>{children}</ShellFrame>
    </RequireSignIn>
  );
}

/** The same frame for the user's own pages (account security): no workspace needed. */
export function AccountShell({ children }: { children: ReactNode }) {
  return (
    <RequireSignIn>
      <ShellFrame workspacePage={false}>{children}</ShellFrame>
    </RequireSignIn>
  );
}

/** What a workspace page shows instead of itself while the workspace cannot be used. */
function workspaceBlock(me: ReturnType<typeof useMe>["data"]): ReactNode | null {
  if (!me?.activeTenant)
    return (
      <Text as="p" m="5">
        Choose a workspace above.
      </Text>
    );
  if (me.mfaEnrolmentRequired) {
    return (
      <Flex direction="column" gap="2" m="5" role="alert" data-testid="mfa-required">
        <Text as="p">
          <strong>{me.activeTenant.name}</strong> requires multi-factor sign-in.
        </Text>
        <Text as="p">
          <RadixLink asChild>
            <Link href="/account/security">Set up an authenticator app</Link>
          </RadixLink>{" "}
          to continue working here.
        </Text>
      </Flex>
    );
  }
  return null;
}

function ShellFrame({ children, workspacePage }: { children: ReactNode; workspacePage: boolean }) {
  const trpc = useTRPC();
  const me = useMe();
  const router = useRouter();
  const pathname = usePathname();
  const queryClient = useQueryClient();
  const [signingOut, setSigningOut] = useState(false);
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onSuccess: () => {
        queryClient.clear();
        router.replace("/sign-in");
      },
    }),
  );
  const canMembers = useCan("members:read");
  const canKeys = useCan("apiKeys:manage");
  const canAudit = useCan("audit:read");
  const canInbox = useCan("conversations:agent");
  const canBots = useCan("bots:read");
  const canAnalytics = useCan("analytics:read");
  const canIntegrations = useCan("integrations:manage");
  // The everyday pages stay in the bar; the workspace's administration sits in a "More" menu,
  // so the bar fits one line down to 1024 px.
  const links: [boolean, string, string][] = [
    [canBots, "/bots", "Bots"],
    [canBots, "/models", "Models"],
    [canInbox, "/inbox", "Inbox"],
    [canBots, "/contacts", "Contacts"],
    [canIntegrations, "/integrations", "Integrations"],
    [canAnalytics, "/analytics", "Analytics"],
  ];
  const more: [boolean, string, string][] = [
    [canMembers, "/members", "Members"],
    [canKeys, "/api-keys", "API keys"],
    [canAudit, "/audit", "Audit log"],
  ];
  const isActive = (href: string) => pathname === href || pathname.startsWith(`${href}/`);
  const moreLinks = more.filter(([allowed]) => allowed);
  const activeMore = moreLinks.find(([, href]) => isActive(href));
  return (
    <>
      <header className="shell-top">
        <Text weight="bold" size="3" className="shell-brand">
          Parley <span className="shell-brand-rest">Studio</span>
        </Text>
        <TabNav.Root aria-label="Studio" className="shell-nav">
          {links
            .filter(([allowed]) => allowed)
            .map(([, href, label]) => (
              <TabNav.Link key={href} asChild active={isActive(href)}>
                <Link href={href}>{label}</Link>
              </TabNav.Link>
            ))}
        </TabNav.Root>
        {moreLinks.length > 0 && (
          <DropdownMenu.Root>
            <DropdownMenu.Trigger>
              <Button
                variant={activeMore ? "soft" : "ghost"}
                color="gray"
                size="2"
                aria-current={activeMore ? "page" : undefined}
              >
                {activeMore ? activeMore[2] : "More"}
                <DropdownMenu.TriggerIcon />
              </Button>
            </DropdownMenu.Trigger>
            <DropdownMenu.Content>
              {moreLinks.map(([, href, label]) => (
                <DropdownMenu.Item key={href} asChild>
                  <Link href={href} aria-current={isActive(href) ? "page" : undefined}>
                    {label}
                  </Link>
                </DropdownMenu.Item>
              ))}
            </DropdownMenu.Content>
          </DropdownMenu.Root>
        )}
        <span className="spacer" />
        <WorkspaceSwitcher />
        <ThemeToggle />
        <RadixLink asChild size="2" color="gray" className="shell-account">
          <Link
            href="/account/security"
            title="Account security"
            aria-label={`Account security (${me.data?.user.email ?? ""})`}
          >
            <CircleUser size={16} aria-hidden />
            <span className="shell-account-address">{me.data?.user.email}</span>
          </Link>
        </RadixLink>
        <Button
          type="button"
          variant="soft"
          color="gray"
          disabled={signingOut}
          onClick={() => {
            setSigningOut(true);
            signOut.mutate();
          }}
        >
          Sign out
        </Button>
      </header>
      {workspacePage ? (workspaceBlock(me.data) ?? children) : children}
    </>
  );
}
