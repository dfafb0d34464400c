"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../../components/form-error";

/** Create an account and a first workspace. */
export default function SignUpPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: "", email: "", password: "", workspaceName: "" });
  const signUp = useMutation(
    trpc.auth.signUp.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries();
        router.replace("/bots");
      },
    }),
  );
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm({ ...form, [key]: event.target.value });
  return (
    <main className="auth-page card">
      <h1>Create your Parley account</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          signUp.mutate(form);
        }}
      >
        <label htmlFor="name">Your name</label>
        <input id="name" value={form.name} onChange={set("name")} required />
        <label htmlFor="email">E-mail</label>
        <input id="email" type="email" value={form.email} onChange={set("email")} required />
        <label htmlFor="password">Password (8 characters or more)</label>
        <input
          id="password"
          type="password"
          autoComplete="new-password"
          value={form.password}
          onChange={set("password")}
          required
          minLength={8}
        />
        <label htmlFor="workspace">Workspace name</label>
        <input
          id="workspace"
          value={form.workspaceName}
          onChange={set("workspaceName")}
          placeholder="Acme Inc."
        />
        <FormError error={signUp.error} />
        <p>
          <button className="primary" type="submit" disabled={signUp.isPending}>
            Create account
          </button>
        </p>
      </form>
      <p className="muted">
        Have an account? <Link href="/sign-in">Sign in</Link>
      </p>
    </main>
  );
}
