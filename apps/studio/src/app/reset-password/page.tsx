"use client";

import { MIN_PASSWORD_LENGTH, passwordSchema } from "@parley/contract/accounts";
import { Button, Flex } from "@radix-ui/themes";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { z } from "zod";
import { sessionChanged } from "../../client/session";
import { useTRPC } from "../../client/trpc";
import { FormProblems } from "../../components/field";
import { AuthCard } from "../../components/ui/auth-card";
import { applyServerErrors, TextFormField, useZodForm } from "../../components/ui/form-field";

const resetForm = z.object({ password: passwordSchema });

/** Choose a new password from an e-mailed link. */
export default function ResetPasswordPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const form = useZodForm(resetForm, { defaultValues: { password: "" } });
  const reset = useMutation(
    trpc.auth.resetPassword.mutationOptions({
      onSuccess: async () => {
        await sessionChanged(queryClient);
        router.replace("/bots");
      },
      onError: (error) => applyServerErrors(form, error, ["password"]),
    }),
  );
  return (
    <AuthCard title="Choose a new password">
      <form
        noValidate
        onSubmit={form.handleSubmit(({ password }) => {
          const token = new URLSearchParams(window.location.search).get("token") ?? "";
          reset.mutate({ token, password });
        })}
      >
        <TextFormField
          form={form}
          name="password"
          id="password"
          label="New password"
          help={`${MIN_PASSWORD_LENGTH} characters or more`}
          type="password"
          autoComplete="new-password"
        />
        <FormProblems error={reset.error} shown={["password"]} />
        <Flex mt="4">
          <Button type="submit" disabled={reset.isPending}>
            Save password and sign in
          </Button>
        </Flex>
      </form>
    </AuthCard>
  );
}
