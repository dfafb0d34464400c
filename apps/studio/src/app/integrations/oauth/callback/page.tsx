"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { useTRPC } from "../../../../client/trpc";
import { FormError } from "../../../../components/form-error";
import { Shell } from "../../../../components/shell";

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
    <main className="shell-main">
      <h1>Connecting…</h1>
      {complete.isSuccess && (
        <p role="status">
          {complete.data.name} is connected. <Link href="/integrations">Back to integrations</Link>
        </p>
      )}
      <FormError error={complete.error} />
      {complete.isError && <Link href="/integrations">Back to integrations</Link>}
    </main>
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
