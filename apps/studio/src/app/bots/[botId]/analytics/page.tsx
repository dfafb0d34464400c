"use client";

import { Link as RadixLink, Text } from "@radix-ui/themes";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useCan } from "../../../../client/session";
import { useTRPC } from "../../../../client/trpc";
import { BotAnalytics } from "../../../../components/analytics/bot-analytics";
import { BotTabs } from "../../../../components/bot-tabs";
import { FormError } from "../../../../components/form-error";
import { Shell } from "../../../../components/shell";
import "../../../../components/model-pages.css";
import { Page, PageSkeleton } from "../../../../components/ui/page";

function Analytics() {
  const { botId } = useParams<{ botId: string }>();
  const trpc = useTRPC();
  const bot = useQuery(trpc.bots.get.queryOptions({ botId }));
  const canRead = useCan("analytics:read");
  if (!bot.data)
    return (
      <Page title="Analytics">{bot.isLoading ? <PageSkeleton /> : <FormError error={bot.error} />}</Page>
    );
  return (
    <Page
      title="Analytics"
      description={
        <RadixLink asChild>
          <Link href={`/bots/${botId}`}>← {bot.data.name}</Link>
        </RadixLink>
      }
    >
      <BotTabs botId={botId} active="analytics" />
      {canRead ? (
        <BotAnalytics botId={botId} />
      ) : (
        <Text as="p" size="2" color="gray">
          Your role cannot read analytics.
        </Text>
      )}
    </Page>
  );
}

/** A bot's Analytics tab: KPIs, live counters, charts, breakdowns by channel/version/variant, costs, CSV. */
export default function BotAnalyticsPage() {
  return (
    <Shell>
      <Analytics />
    </Shell>
  );
}
