"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type ReactNode, useState } from "react";
import { RequireSignIn, sessionChanged, useCan, useMe } from "../client/session";
import { useTRPC } from "../client/trpc";
import { FormError } from "./form-error";
import { ThemeToggle } from "./ui/theme-toggle";

/** Workspace switcher, with "new workspace" for owners. */
function WorkspaceSwitcher() {
  const trpc = useTRPC();
  const me = useMe();
  const queryClient = useQueryClient();
  const router = useRouter();
  const switchTenant = useMutation(
    trpc.tenants.switch.mutationOptions({
      onSuccess: async () => {
        await sessionChanged(queryClient);
        router.push("/bots");
      },
    }),
  );
  const create = useMutation(
    trpc.tenants.create.mutationOptions({
      onSuccess: async () => {
        await sessionChanged(queryClient);
        router.push("/bots");
      },
    }),
  );
  const ownsOne = me.data?.tenants.some((t) => t.role === "owner") ?? false;
  return (
    <div className="row">
      <select
        aria-label="Workspace"
        value={me.data?.activeTenant?.id ?? ""}
        onChange={(event) => {
          if (event.target.value === "__new") {
            const name = window.prompt("Name of the new workspace");
            if (name?.trim()) create.mutate({ name: name.trim() });
          } else switchTenant.mutate({ tenantId: event.target.value });
        }}
        style={{ width: 200 }}
      >
        {!me.data?.activeTenant && <option value="">Choose a workspace</option>}
        {me.data?.tenants.map((tenant) => (
          <option key={tenant.id} value={tenant.id}>
            {tenant.name} ({tenant.role})
          </option>
        ))}
        {ownsOne && <option value="__new">+ New workspace…</option>}
      </select>
      <FormError error={switchTenant.error ?? create.error} />
    </div>
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
  if (!me?.activeTenant) return <p className="pad">Choose a workspace above.</p>;
  if (me.mfaEnrolmentRequired) {
    return (
      <div className="pad" role="alert" data-testid="mfa-required">
        <p>
          <strong>{me.activeTenant.name}</strong> requires multi-factor sign-in.
        </p>
        <p>
          <Link href="/account/security">Set up an authenticator app</Link> to continue working here.
        </p>
      </div>
    );
  }
  return null;
}

function ShellFrame({ children, workspacePage }: { children: ReactNode; workspacePage: boolean }) {
  const trpc = useTRPC();
  const me = useMe();
  const router = useRouter();
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
  return (
    <>
      <header className="shell-top">
        <span className="brand">Parley Studio</span>
        <nav>
          {canBots && <Link href="/bots">Bots</Link>}
          {canBots && <Link href="/models">Models</Link>}
          {canInbox && <Link href="/inbox">Inbox</Link>}
          {canBots && <Link href="/contacts">Contacts</Link>}
          {canMembers && <Link href="/members">Members</Link>}
          {canKeys && <Link href="/api-keys">API keys</Link>}
          {canIntegrations && <Link href="/integrations">Integrations</Link>}
          {canAudit && <Link href="/audit">Audit log</Link>}
          {canAnalytics && <Link href="/analytics">Analytics</Link>}
        </nav>
        <span className="spacer" />
        <WorkspaceSwitcher />
        <ThemeToggle />
        <Link href="/account/security" className="muted" title="Account security">
          {me.data?.user.email}
        </Link>
        <button
          type="button"
          disabled={signingOut}
          onClick={() => {
            setSigningOut(true);
            signOut.mutate();
          }}
        >
          Sign out
        </button>
      </header>
      {workspacePage ? (workspaceBlock(me.data) ?? children) : children}
    </>
  );
}
