"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { sessionChanged } from "../../client/session";
import { useTRPC } from "../../client/trpc";
import { FormProblems, issuesOf, NewPasswordField } from "../../components/field";

/** Choose a new password from an e-mailed link. */
export default function ResetPasswordPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [password, setPassword] = useState("");
  const reset = useMutation(
    trpc.auth.resetPassword.mutationOptions({
      onSuccess: async () => {
        await sessionChanged(queryClient);
        router.replace("/bots");
      },
    }),
  );
  return (
    <main className="auth-page card">
      <h1>Choose a new password</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const token = new URLSearchParams(window.location.search).get("token") ?? "";
          reset.mutate({ token, password });
        }}
      >
        <NewPasswordField
          label="New password"
          error={issuesOf(reset.error).password}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <FormProblems error={reset.error} shown={["password"]} />
        <p>
          <button className="primary" type="submit" disabled={reset.isPending}>
            Save password and sign in
          </button>
        </p>
      </form>
    </main>
  );
}
