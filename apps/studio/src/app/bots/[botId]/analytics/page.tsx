"use client";

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
import "../../../../components/analytics/analytics.css";
import { PageSkeleton } from "../../../../components/ui/page";

function Analytics() {
  const { botId } = useParams<{ botId: string }>();
  const trpc = useTRPC();
  const bot = useQuery(trpc.bots.get.queryOptions({ botId }));
  const canRead = useCan("analytics:read");
  if (!bot.data)
    return (
      <main className="shell-main">{bot.isLoading ? <PageSkeleton /> : <FormError error={bot.error} />}</main>
    );
  return (
    <main className="shell-main">
      <p>
        <Link href={`/bots/${botId}`}>← {bot.data.name}</Link>
      </p>
      <h1>Analytics</h1>
      <BotTabs botId={botId} active="analytics" />
      {canRead ? <BotAnalytics botId={botId} /> : <p className="muted">Your role cannot read analytics.</p>}
    </main>
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
