"use client";

import { Link as RadixLink, Text } from "@radix-ui/themes";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { sessionChanged } from "../../client/session";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../../components/form-error";
import { AuthCard } from "../../components/ui/auth-card";

/** Opens a sign-up confirmation link: creates the account and its workspace, then signs in. */
export default function VerifyEmailPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const confirm = useMutation(
    trpc.auth.confirmSignUp.mutationOptions({
      onSuccess: async () => {
        await sessionChanged(queryClient);
        router.replace("/bots");
      },
    }),
  );
  // The link is single use: confirm once, even when React runs effects twice.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const token = new URLSearchParams(window.location.search).get("token") ?? "";
    confirm.mutate({ token });
  }, [confirm]);
  return (
    <AuthCard title="Confirming your address">
      {confirm.isError ? (
        <>
          <FormError error={confirm.error} />
          <Text as="p" size="2">
            <RadixLink asChild>
              <Link href="/sign-up">Sign up again</Link>
            </RadixLink>{" "}
            or{" "}
            <RadixLink asChild>
              <Link href="/sign-in">sign in</Link>
            </RadixLink>
            .
          </Text>
        </>
      ) : (
        <Text as="p" size="2" color="gray">
          One moment…
        </Text>
      )}
    </AuthCard>
  );
}
