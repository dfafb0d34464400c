"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { safeNextPath } from "../../client/safe-next-path";
import { sessionChanged } from "../../client/session";
import { useTRPC } from "../../client/trpc";
import { FormProblems, InputField, issuesOf } from "../../components/field";

/** Sign in with e-mail and password, then (with multi-factor sign-in on) a code. */
export default function SignInPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [challengeToken, setChallengeToken] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const signedIn = async () => {
    await sessionChanged(queryClient);
    const next = new URLSearchParams(window.location.search).get("next");
    router.replace(safeNextPath(next, window.location.origin));
  };
  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      onSuccess: async (result) => {
        if (result.mfaRequired) {
          setPassword("");
          setChallengeToken(result.challengeToken);
        } else await signedIn();
      },
    }),
  );
  const secondStep = useMutation(
    trpc.auth.signInSecondFactor.mutationOptions({
      onSuccess: signedIn,
      onError: () => setCode(""),
    }),
  );
  if (challengeToken) {
    return (
      <main className="auth-page card">
        <h1>Two-step verification</h1>
        <p className="muted">
          Enter the 6-digit code from your authenticator app, or one of your recovery codes.
        </p>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            secondStep.mutate({ challengeToken, code });
          }}
        >
          <InputField
            id="mfa-code"
            label="Code"
            error={issuesOf(secondStep.error).code}
            autoComplete="one-time-code"
            inputMode="text"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            required
            autoFocus
          />
          <FormProblems error={secondStep.error} shown={["code", "challengeToken"]} />
          <p className="row">
            <button className="primary" type="submit" disabled={secondStep.isPending}>
              Verify
            </button>
            <span className="spacer" />
            <button type="button" onClick={() => setChallengeToken(null)}>
              Start over
            </button>
          </p>
        </form>
      </main>
    );
  }
  const errors = issuesOf(signIn.error);
  return (
    <main className="auth-page card">
      <h1>Sign in to Parley</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          signIn.mutate({ email, password });
        }}
      >
        <InputField
          id="email"
          label="E-mail"
          error={errors.email}
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
        />
        <InputField
          id="password"
          label="Password"
          error={errors.password}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        {/* Wrong credentials (or too many attempts) concern both fields: a banner, not a field. */}
        <FormProblems error={signIn.error} shown={["email", "password"]} />
        <p className="row">
          <button className="primary" type="submit" disabled={signIn.isPending}>
            Sign in
          </button>
          <span className="spacer" />
          <Link href="/forgot-password">Forgot password?</Link>
        </p>
      </form>
      <p className="muted">
        New here? <Link href="/sign-up">Create an account</Link>
      </p>
    </main>
  );
}
