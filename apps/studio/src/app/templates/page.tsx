"use client";

import { Link as RadixLink } from "@radix-ui/themes";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { Suspense } from "react";
import { useTRPC } from "../../client/trpc";
import { Shell } from "../../components/shell";
import { TemplateGallery } from "../../components/templates/template-gallery";
import { Page } from "../../components/ui/page";

function Templates() {
  const botId = useSearchParams().get("bot") ?? undefined;
  const trpc = useTRPC();
  const bot = useQuery({
    ...trpc.bots.get.queryOptions({ botId: botId ?? "" }),
    enabled: botId !== undefined,
  });
  return (
    <Page
      title="Templates"
      description={
        <>
          <RadixLink asChild>
            {botId ? (
              <Link href={`/bots/${botId}`}>← {bot.data?.name ?? "Bot"}</Link>
            ) : (
              <Link href="/bots">← Bots</Link>
            )}
          </RadixLink>
          <br />
          {botId
            ? "Pick a working flow to add to this bot; you can change everything in the designer."
            : "Pick a working flow: a new bot is created with it, and the designer opens."}
        </>
      }
    >
      <TemplateGallery {...(botId ? { botId } : {})} />
    </Page>
  );
}

/** The starter templates as a gallery (from the bots list, or a bot's "New flow" with `?bot=`). */
export default function TemplatesPage() {
  return (
    <Shell>
      <Suspense>
        <Templates />
      </Suspense>
    </Shell>
  );
}
