"use client";

import { Heading, Text } from "@radix-ui/themes";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { Suspense } from "react";
import { useTRPC } from "../../client/trpc";
import { Shell } from "../../components/shell";
import { TemplateGallery } from "../../components/templates/template-gallery";

function Templates() {
  const botId = useSearchParams().get("bot") ?? undefined;
  const trpc = useTRPC();
  const bot = useQuery({
    ...trpc.bots.get.queryOptions({ botId: botId ?? "" }),
    enabled: botId !== undefined,
  });
  return (
    <main className="shell-main">
      <p>
        {botId ? (
          <Link href={`/bots/${botId}`}>← {bot.data?.name ?? "Bot"}</Link>
        ) : (
          <Link href="/bots">← Bots</Link>
        )}
      </p>
      <Heading as="h1" size="6">
        Templates
      </Heading>
      <Text as="p" size="2" color="gray">
        {botId
          ? "Pick a working flow to add to this bot; you can change everything in the designer."
          : "Pick a working flow: a new bot is created with it, and the designer opens."}
      </Text>
      <TemplateGallery {...(botId ? { botId } : {})} />
    </main>
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
