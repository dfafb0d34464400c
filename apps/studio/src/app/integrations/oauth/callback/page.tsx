"use client";

import { Link as RadixLink, Text } from "@radix-ui/themes";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { useTRPC } from "../../../../client/trpc";
import { FormError } from "../../../../components/form-error";
import { Shell } from "../../../../components/shell";
import { Page } from "../../../../components/ui/page";

function Callback() {
  const trpc = useTRPC();
  const complete = useMutation(trpc.integrations.completeConnect.mutationOptions());
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const params = new URLSearchParams(window.location.search);
    const input: Record<string, string> = {};
    for (const name of ["state", "code", "error", "error_description", "iss"]) {
      const value = params.get(name);
      if (value) input[name] = value;
    }
    complete.mutate(input as { state: string });
  }, [complete]);
  return (
    <Page title={complete.isSuccess ? "Connected" : complete.isError ? "Not connected" : "Connecting…"}>
      {complete.isSuccess && (
        <Text as="p" role="status" size="2">
          {complete.data.name} is connected.{" "}
          <RadixLink asChild>
            <Link href="/integrations">Back to integrations</Link>
          </RadixLink>
        </Text>
      )}
      <FormError error={complete.error} />
      {complete.isError && (
        <RadixLink asChild size="2">
          <Link href="/integrations">Back to integrations</Link>
        </RadixLink>
      )}
    </Page>
  );
}

/** Where the OAuth2 authorization server sends the user back (state bound to this session). */
export default function OAuthCallbackPage() {
  return (
    <Shell>
      <Callback />
    </Shell>
  );
}
