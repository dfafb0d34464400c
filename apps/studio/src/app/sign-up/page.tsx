"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormProblems, InputField, issuesOf, NewPasswordField } from "../../components/field";

/**
 * Create an account and a first workspace. The answer is always "check your e-mail": a new address
 * gets a confirmation link, one with an account gets a note (whether it has one is not shown here).
 */
export default function SignUpPage() {
  const trpc = useTRPC();
  const [form, setForm] = useState({ name: "", email: "", password: "", workspaceName: "" });
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());
  const errors = issuesOf(signUp.error);
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm({ ...form, [key]: event.target.value });
  if (signUp.isSuccess) {
    return (
      <main className="auth-page card">
        <h1>Check your e-mail to continue</h1>
        <p data-testid="sign-up-sent">
          We sent a message to {form.email}. Open the link in it within 24 hours to confirm your address and
          start. Nothing arrived? Check the spam folder, or <Link href="/sign-in">sign in</Link> if you
          already have an account.
        </p>
      </main>
    );
  }
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
