"use client";

import type { BotView } from "@parley/contract";
import { Button } from "@radix-ui/themes";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../client/trpc";
import { FormError } from "./form-error";

/**
 * The embed code shown together with the sites it works on (the bot's allowed origins): a new bot
 * allows none, and the widget refuses to start elsewhere. When the runtime has refused the widget
 * on a site, that site is offered with a one-click "Add this site".
 */
export function EmbedSection({
  bot,
  snippet,
  canWrite,
}: {
  bot: Pick<BotView, "id" | "allowedOrigins" | "refusedOrigin">;
  snippet: string;
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [copied, setCopied] = useState(false);
  const add = useMutation(
    trpc.bots.update.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.bots.get.queryKey({ botId: bot.id }) }),
    }),
  );
  const refused = bot.refusedOrigin;
  return (
    <section aria-labelledby="embed-heading" data-testid="embed-section">
      <h2 id="embed-heading">Embed on your website</h2>
      {refused && (
        <div className="banner error" role="alert" data-testid="refused-origin">
          The chat was refused on <code>{refused.origin}</code> ({new Date(refused.at).toLocaleString()}):
          that site is not in the allowed origins, so visitors there see “This chat is not enabled on this
          website”.{" "}
          {canWrite && (
            <Button
              size="1"
              type="button"
              disabled={add.isPending}
              onClick={() =>
                add.mutate({
                  botId: bot.id,
                  changes: { allowedOrigins: [...bot.allowedOrigins, refused.origin] },
                })
              }
            >
              Add this site
            </Button>
          )}
        </div>
      )}
      <FormError error={add.error} />
      <h3>1. Paste this before &lt;/body&gt; on your site</h3>
      <pre data-testid="embed-snippet">{snippet}</pre>
      <Button
        variant="soft"
        color="gray"
        type="button"
        onClick={async () => {
          await navigator.clipboard?.writeText(snippet);
          setCopied(true);
        }}
      >
        {copied ? "Copied" : "Copy snippet"}
      </Button>
      <h3>2. The sites it works on (allowed origins)</h3>
      {bot.allowedOrigins.length === 0 ? (
        <p className="muted" data-testid="embed-origins-empty">
          None yet: the widget refuses to start on any site until its origin (for example
          https://shop.example.com) is in “Allowed origins” above. Paste the snippet, open your page, and the
          site shows up here to add in one click.
        </p>
      ) : (
        <ul data-testid="embed-origins">
          {bot.allowedOrigins.map((origin) => (
            <li key={origin}>
              <code>{origin}</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
