"use client";

import { MIN_PASSWORD_LENGTH, passwordSchema } from "@parley/contract/accounts";
import { Button, Flex, Link as RadixLink, Skeleton, Text } from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { z } from "zod";
import { sessionChanged, useMe } from "../../client/session";
import { useTRPC } from "../../client/trpc";
import { FormProblems } from "../../components/field";
import { FormError } from "../../components/form-error";
import { AuthCard } from "../../components/ui/auth-card";
import { applyServerErrors, TextFormField, useZodForm } from "../../components/ui/form-field";

const newAccount = z.object({
  name: z.string().trim().min(1, "is required").max(200),
  password: passwordSchema,
});

/** Accept an invitation to a workspace (creating an account when needed). */
export default function InvitationPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const me = useMe();
  const [token, setToken] = useState("");
  useEffect(() => setToken(new URLSearchParams(window.location.search).get("token") ?? ""), []);
  const info = useQuery({ ...trpc.auth.invitation.queryOptions({ token }), enabled: token !== "" });
  const form = useZodForm(newAccount, { defaultValues: { name: "", password: "" } });
  const accept = useMutation(
    trpc.auth.acceptInvitation.mutationOptions({
      onSuccess: async () => {
        await sessionChanged(queryClient);
        router.replace("/bots");
      },
      onError: (error) => applyServerErrors(form, error, ["name", "password"]),
    }),
  );
  if (info.error)
    return (
      <AuthCard title="Invitation">
        <FormError error={info.error} />
      </AuthCard>
    );
  if (!info.data)
    return (
      <AuthCard title={<Skeleton>Join your workspace</Skeleton>}>
        <Skeleton height="60px" />
      </AuthCard>
    );
  const needsAccount = !me.data && !info.data.userExists;
  return (
    <AuthCard title={`Join ${info.data.tenantName}`}>
      <Text as="p" size="2">
        You are invited as <b>{info.data.role}</b> ({info.data.email}).
      </Text>
      {!me.data && info.data.userExists ? (
        <Text as="p" size="2" mt="3">
          <RadixLink asChild>
            <Link href={`/sign-in?next=${encodeURIComponent(`/invitation?token=${token}`)}`}>
              Sign in as {info.data.email}
            </Link>
          </RadixLink>{" "}
          to accept.
        </Text>
      ) : (
        <form
          noValidate
          onSubmit={(event) => {
            if (needsAccount) void form.handleSubmit((values) => accept.mutate({ token, ...values }))(event);
            else {
              event.preventDefault();
              accept.mutate({ token });
            }
          }}
        >
          {needsAccount && (
            <>
              <TextFormField form={form} name="name" id="name" label="Your name" autoComplete="name" />
              <TextFormField
                form={form}
                name="password"
                id="password"
                label="Password"
                help={`${MIN_PASSWORD_LENGTH} characters or more`}
                type="password"
                autoComplete="new-password"
              />
            </>
          )}
          <FormProblems error={accept.error} shown={needsAccount ? ["name", "password"] : []} />
          <Flex mt="4">
            <Button type="submit" disabled={accept.isPending}>
              Accept invitation
            </Button>
          </Flex>
        </form>
      )}
    </AuthCard>
  );
}
