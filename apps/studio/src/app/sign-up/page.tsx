"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { sessionChanged } from "../../client/session";
import { useTRPC } from "../../client/trpc";
import { FormProblems, InputField, issuesOf, NewPasswordField } from "../../components/field";

/** Create an account and a first workspace. */
export default function SignUpPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: "", email: "", password: "", workspaceName: "" });
  const signUp = useMutation(
    trpc.auth.signUp.mutationOptions({
      onSuccess: async () => {
        await sessionChanged(queryClient);
        router.replace("/bots");
      },
    }),
  );
  const errors = issuesOf(signUp.error);
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
        <InputField
          id="name"
          label="Your name"
          error={errors.name}
          value={form.name}
          onChange={set("name")}
          required
        />
        <InputField
          id="email"
          label="E-mail"
          error={errors.email}
          type="email"
          value={form.email}
          onChange={set("email")}
          required
        />
        <NewPasswordField
          label="Password"
          error={errors.password}
          value={form.password}
          onChange={set("password")}
        />
        <InputField
          id="workspace"
          label="Workspace name"
          hint="Optional: your first workspace"
          error={errors.workspaceName}
          value={form.workspaceName}
          onChange={set("workspaceName")}
          placeholder="Acme Inc."
        />
        <FormProblems error={signUp.error} shown={["name", "email", "password", "workspaceName"]} />
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
