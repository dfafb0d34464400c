"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type ReactNode, useState } from "react";
import { RequireSignIn, sessionChanged, useCan, useMe } from "../client/session";
import { useTRPC } from "../client/trpc";
import { FormError } from "./form-error";

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
      <ShellFrame>{children}</ShellFrame>
    </RequireSignIn>
  );
}

function ShellFrame({ children }: { children: ReactNode }) {
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
  return (
    <>
      <header className="shell-top">
        <span className="brand">Parley Studio</span>
        <nav>
          <Link href="/bots">Bots</Link>
          <Link href="/models">Models</Link>
          {canMembers && <Link href="/members">Members</Link>}
          {canKeys && <Link href="/api-keys">API keys</Link>}
          {canAudit && <Link href="/audit">Audit log</Link>}
        </nav>
        <span className="spacer" />
        <WorkspaceSwitcher />
        <span className="muted">{me.data?.user.email}</span>
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
      {me.data?.activeTenant ? children : <p className="pad">Choose a workspace above.</p>}
    </>
  );
}
