"use client";

import { Button } from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../client/trpc";
import { FormError } from "./form-error";
import { ConfirmButton } from "./ui/confirm-dialog";

/**
 * The bot's "Identity verification" settings: whether visitor identity tokens are verified, and
 * Generate/Rotate of the identity secret, which is shown once (with a copy button) and never again.
 */
export function IdentityVerification({ botId, canWrite }: { botId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.bots.identityVerification.queryOptions({ botId }));
  const [secret, setSecret] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const generate = useMutation(
    trpc.bots.generateIdentitySecret.mutationOptions({
      onSuccess: (result) => {
        setSecret(result.secret);
        setCopied(false);
        void queryClient.invalidateQueries({
          queryKey: trpc.bots.identityVerification.queryKey({ botId }),
        });
      },
    }),
  );
  const enabled = status.data?.enabled === true;
  return (
    <section aria-labelledby="identity-verification" data-testid="identity-verification">
      <h2 id="identity-verification">Identity verification</h2>
      <p className="muted">
        Widget visitors are anonymous. To link a signed-in visitor to your user, your server signs a
        short-lived identity token (an HS256 JWT with <code>sub</code>, <code>iat</code>, <code>exp</code> at
        most an hour later, and optionally a verified <code>email</code> and <code>name</code>) with this
        bot's identity secret, and the page passes it to the widget (<code>data-identity-token</code> or{" "}
        <code>Parley.identify(token)</code>). Keep the secret on your server.
      </p>
      <p data-testid="identity-status">
        {status.data === undefined
          ? "…"
          : enabled
            ? "Identity tokens are verified."
            : "No identity secret yet."}
      </p>
      {secret && (
        <div className="banner" role="status">
          <p>
            <strong>Copy the secret now: it is not shown again.</strong>
          </p>
          <div className="row">
            <code data-testid="identity-secret">{secret}</code>
            <Button
              size="1"
              variant="soft"
              color="gray"
              type="button"
              onClick={async () => {
                await navigator.clipboard?.writeText(secret);
                setCopied(true);
              }}
            >
              {copied ? "Copied" : "Copy"}
            </Button>
          </div>
        </div>
      )}
      {canWrite &&
        (enabled ? (
          <ConfirmButton
            size="2"
            danger={false}
            disabled={generate.isPending}
            title="Rotate the identity secret?"
            description="Tokens signed with the current secret stop working."
            confirmLabel="Rotate secret"
            onConfirm={() => generate.mutateAsync({ botId })}
          >
            Rotate secret
          </ConfirmButton>
        ) : (
          <Button
            type="button"
            variant="soft"
            disabled={generate.isPending || status.data === undefined}
            onClick={() => generate.mutate({ botId })}
          >
            Generate secret
          </Button>
        ))}
      <FormError error={generate.error ?? status.error} />
    </section>
  );
}
