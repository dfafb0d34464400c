"use client";

import { MIN_PASSWORD_LENGTH, passwordSchema } from "@parley/contract/accounts";
import { Button, Flex, Link as RadixLink, Text } from "@radix-ui/themes";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { z } from "zod";
import { useTRPC } from "../../client/trpc";
import { FormProblems } from "../../components/field";
import { AuthCard } from "../../components/ui/auth-card";
import { applyServerErrors, TextFormField, useZodForm } from "../../components/ui/form-field";

const signUpForm = z.object({
  name: z.string().trim().min(1, "is required").max(200),
  email: z.email("must be an e-mail address"),
  password: passwordSchema,
  workspaceName: z.string().trim().max(200),
});

/**
 * Create an account and a first workspace. The answer is always "check your e-mail": a new address
 * gets a confirmation link, one with an account gets a note (whether it has one is not shown here).
 */
export default function SignUpPage() {
  const trpc = useTRPC();
  const form = useZodForm(signUpForm, {
    defaultValues: { name: "", email: "", password: "", workspaceName: "" },
  });
  const signUp = useMutation(
    trpc.auth.signUp.mutationOptions({
      onError: (error) => applyServerErrors(form, error, ["name", "email", "password", "workspaceName"]),
    }),
  );
  if (signUp.isSuccess) {
    return (
      <AuthCard title="Check your e-mail to continue">
        <Text as="p" size="2" data-testid="sign-up-sent">
          We sent a message to {form.getValues("email")}. Open the link in it within 24 hours to confirm your
          address and start. Nothing arrived? Check the spam folder, or{" "}
          <RadixLink asChild>
            <Link href="/sign-in">sign in</Link>
          </RadixLink>{" "}
          if you already have an account.
        </Text>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Create your Parley account">
      <form onSubmit={form.handleSubmit((values) => signUp.mutate(values))} noValidate>
        <TextFormField form={form} name="name" id="name" label="Your name" autoComplete="name" />
        <TextFormField form={form} name="email" id="email" label="E-mail" type="email" autoComplete="email" />
        <TextFormField
          form={form}
          name="password"
          id="password"
          label="Password"
          help={`${MIN_PASSWORD_LENGTH} characters or more`}
          type="password"
          autoComplete="new-password"
        />
        <TextFormField
          form={form}
          name="workspaceName"
          id="workspace"
          label="Workspace name"
          help="Optional: your first workspace"
          placeholder="Acme Inc."
        />
        <FormProblems error={signUp.error} shown={["name", "email", "password", "workspaceName"]} />
        <Flex mt="4">
          <Button type="submit" disabled={signUp.isPending}>
            Create account
          </Button>
        </Flex>
      </form>
      <Text as="p" color="gray" size="2" mt="4">
        Have an account?{" "}
        <RadixLink asChild>
          <Link href="/sign-in">Sign in</Link>
        </RadixLink>
      </Text>
    </AuthCard>
  );
}
