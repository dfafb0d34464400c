"use client";

import { mfaCodeSchema } from "@parley/contract/accounts";
import { Button, Flex, Link as RadixLink, Text } from "@radix-ui/themes";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { z } from "zod";
import { safeNextPath } from "../../client/safe-next-path";
import { sessionChanged } from "../../client/session";
import { useTRPC } from "../../client/trpc";
import { FormProblems } from "../../components/field";
import { AuthCard } from "../../components/ui/auth-card";
import { applyServerErrors, TextFormField, useZodForm } from "../../components/ui/form-field";

const credentials = z.object({
  email: z.email("must be an e-mail address"),
  password: z.string().min(1, "is required"),
});
const secondFactor = z.object({ code: mfaCodeSchema });

/** Sign in with e-mail and password, then (with multi-factor sign-in on) a code. */
export default function SignInPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [challengeToken, setChallengeToken] = useState<string | null>(null);
  const form = useZodForm(credentials, { defaultValues: { email: "", password: "" } });
  const codeForm = useZodForm(secondFactor, { defaultValues: { code: "" } });
  const signedIn = async () => {
    await sessionChanged(queryClient);
    const next = new URLSearchParams(window.location.search).get("next");
    router.replace(safeNextPath(next, window.location.origin));
  };
  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      onSuccess: async (result) => {
        if (result.mfaRequired) {
          form.setValue("password", "");
          setChallengeToken(result.challengeToken);
        } else await signedIn();
      },
      onError: (error) => applyServerErrors(form, error, ["email", "password"]),
    }),
  );
  const secondStep = useMutation(
    trpc.auth.signInSecondFactor.mutationOptions({
      onSuccess: signedIn,
      onError: (error) => {
        codeForm.reset({ code: "" });
        applyServerErrors(codeForm, error, ["code"]);
      },
    }),
  );
  if (challengeToken) {
    return (
      <AuthCard title="Two-step verification">
        <Text as="p" color="gray" size="2">
          Enter the 6-digit code from your authenticator app, or one of your recovery codes.
        </Text>
        <form onSubmit={codeForm.handleSubmit((values) => secondStep.mutate({ challengeToken, ...values }))}>
          <TextFormField
            form={codeForm}
            name="code"
            id="mfa-code"
            label="Code"
            autoComplete="one-time-code"
            inputMode="text"
            autoFocus
          />
          <FormProblems error={secondStep.error} shown={["code", "challengeToken"]} />
          <Flex mt="4" justify="between">
            <Button type="submit" disabled={secondStep.isPending}>
              Verify
            </Button>
            <Button type="button" variant="soft" color="gray" onClick={() => setChallengeToken(null)}>
              Start over
            </Button>
          </Flex>
        </form>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Sign in to Parley">
      <form onSubmit={form.handleSubmit((values) => signIn.mutate(values))} noValidate>
        <TextFormField
          form={form}
          name="email"
          id="email"
          label="E-mail"
          type="email"
          autoComplete="username"
        />
        <TextFormField
          form={form}
          name="password"
          id="password"
          label="Password"
          type="password"
          autoComplete="current-password"
        />
        {/* Wrong credentials (or too many attempts) concern both fields: a banner, not a field. */}
        <FormProblems error={signIn.error} shown={["email", "password"]} />
        <Flex mt="4" justify="between" align="center">
          <Button type="submit" disabled={signIn.isPending}>
            Sign in
          </Button>
          <RadixLink asChild size="2">
            <Link href="/forgot-password">Forgot password?</Link>
          </RadixLink>
        </Flex>
      </form>
      <Text as="p" color="gray" size="2" mt="4">
        New here?{" "}
        <RadixLink asChild>
          <Link href="/sign-up">Create an account</Link>
        </RadixLink>
      </Text>
    </AuthCard>
  );
}
