"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormProblems, InputField, issuesOf } from "../../components/field";

/** Ask for a password reset link by e-mail. */
export default function ForgotPasswordPage() {
  const trpc = useTRPC();
  const [email, setEmail] = useState("");
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());
  return (
    <main className="auth-page card">
      <h1>Reset your password</h1>
      {request.isSuccess ? (
        <p>
          If an account exists for {email}, we sent it a link to choose a new password. It works for one hour.
        </p>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            request.mutate({ email });
          }}
        >
          <InputField
            id="email"
            label="E-mail"
            error={issuesOf(request.error).email}
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
          />
          <FormProblems error={request.error} shown={["email"]} />
          <p>
            <button className="primary" type="submit" disabled={request.isPending}>
              Send reset link
            </button>
          </p>
        </form>
      )}
      <Link href="/sign-in">Back to sign in</Link>
    </main>
  );
}
