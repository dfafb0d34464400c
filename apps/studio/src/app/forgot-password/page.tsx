"use client";

import { Button, Flex, Link as RadixLink, Text } from "@radix-ui/themes";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { z } from "zod";
import { useTRPC } from "../../client/trpc";
import { FormProblems } from "../../components/field";
import { AuthCard } from "../../components/ui/auth-card";
import { applyServerErrors, TextFormField, useZodForm } from "../../components/ui/form-field";

const forgotForm = z.object({ email: z.email("must be an e-mail address") });

/** Ask for a password reset link by e-mail. */
export default function ForgotPasswordPage() {
  const trpc = useTRPC();
  const form = useZodForm(forgotForm, { defaultValues: { email: "" } });
  const request = useMutation(
    trpc.auth.requestPasswordReset.mutationOptions({
      onError: (error) => applyServerErrors(form, error, ["email"]),
    }),
  );
  return (
    <AuthCard title="Reset your password">
      {request.isSuccess ? (
        <Text as="p" size="2">
          If an account exists for {form.getValues("email")}, we sent it a link to choose a new password. It
          works for one hour.
        </Text>
      ) : (
        <form onSubmit={form.handleSubmit((values) => request.mutate(values))} noValidate>
          <TextFormField
            form={form}
            name="email"
            id="email"
            label="E-mail"
            type="email"
            autoComplete="email"
          />
          <FormProblems error={request.error} shown={["email"]} />
          <Flex mt="4">
            <Button type="submit" disabled={request.isPending}>
              Send reset link
            </Button>
          </Flex>
        </form>
      )}
      <Text as="p" size="2" mt="4">
        <RadixLink asChild>
          <Link href="/sign-in">Back to sign in</Link>
        </RadixLink>
      </Text>
    </AuthCard>
  );
}
