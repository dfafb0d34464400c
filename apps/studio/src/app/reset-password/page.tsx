"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../../components/form-error";

/** Choose a new password from an e-mailed link. */
export default function ResetPasswordPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [password, setPassword] = useState("");
  const reset = useMutation(
    trpc.auth.resetPassword.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries();
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
        <label htmlFor="password">New password (8 characters or more)</label>
        <input
          id="password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          minLength={8}
        />
        <FormError error={reset.error} />
        <p>
          <button className="primary" type="submit" disabled={reset.isPending}>
            Save password and sign in
          </button>
        </p>
      </form>
    </main>
  );
}
