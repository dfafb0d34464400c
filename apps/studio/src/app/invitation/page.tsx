"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { sessionChanged, useMe } from "../../client/session";
import { useTRPC } from "../../client/trpc";
import { FormProblems, InputField, issuesOf, NewPasswordField } from "../../components/field";
import { FormError } from "../../components/form-error";

/** Accept an invitation to a workspace (creating an account when needed). */
export default function InvitationPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const me = useMe();
  const [token, setToken] = useState("");
  useEffect(() => setToken(new URLSearchParams(window.location.search).get("token") ?? ""), []);
  const info = useQuery({ ...trpc.auth.invitation.queryOptions({ token }), enabled: token !== "" });
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const accept = useMutation(
    trpc.auth.acceptInvitation.mutationOptions({
      onSuccess: async () => {
        await sessionChanged(queryClient);
        router.replace("/bots");
      },
    }),
  );
  if (info.error)
    return (
      <main className="auth-page card">
        <FormError error={info.error} />
      </main>
    );
  if (!info.data) return <p className="muted pad">Loading…</p>;
  const needsAccount = !me.data && !info.data.userExists;
  return (
    <main className="auth-page card">
      <h1>Join {info.data.tenantName}</h1>
      <p>
        You are invited as <b>{info.data.role}</b> ({info.data.email}).
      </p>
      {!me.data && info.data.userExists ? (
        <p>
          <Link href={`/sign-in?next=${encodeURIComponent(`/invitation?token=${token}`)}`}>
            Sign in as {info.data.email}
          </Link>{" "}
          to accept.
        </p>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            accept.mutate(needsAccount ? { token, name, password } : { token });
          }}
        >
          {needsAccount && (
            <>
              <InputField
                id="name"
                label="Your name"
                error={issuesOf(accept.error).name}
                value={name}
                onChange={(e) => setName(e.target.value)}
                required
              />
              <NewPasswordField
                label="Password"
                error={issuesOf(accept.error).password}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </>
          )}
          <FormProblems error={accept.error} shown={needsAccount ? ["name", "password"] : []} />
          <p>
            <button className="primary" type="submit" disabled={accept.isPending}>
              Accept invitation
            </button>
          </p>
        </form>
      )}
    </main>
  );
}
