"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useCan } from "../../../../client/session";
import { useTRPC } from "../../../../client/trpc";
import { BotTabs } from "../../../../components/bot-tabs";
import { ChannelCard } from "../../../../components/channels/channel-card";
import { ConnectChannel } from "../../../../components/channels/connect-channel";
import { FormError } from "../../../../components/form-error";
import { Shell } from "../../../../components/shell";
import "../../../../components/model-pages.css";
import { PageSkeleton } from "../../../../components/ui/page";

function Channels() {
  const { botId } = useParams<{ botId: string }>();
  const trpc = useTRPC();
  const canManage = useCan("channels:manage");
  const bot = useQuery(trpc.bots.get.queryOptions({ botId }));
  // Live status: refreshed every few seconds while the page is open.
  const channels = useQuery({
    ...trpc.channels.list.queryOptions({ botId }),
    enabled: canManage,
    refetchInterval: 5_000,
  });
  if (!bot.data)
    return (
      <main className="shell-main">{bot.isLoading ? <PageSkeleton /> : <FormError error={bot.error} />}</main>
    );
  return (
    <main className="shell-main">
      <p>
        <Link href={`/bots/${botId}`}>← {bot.data.name}</Link>
      </p>
      <h1>Channels</h1>
      <BotTabs botId={botId} active="channels" />
      <p className="muted page-intro">
        Connect {bot.data.name} to Slack, Telegram, WhatsApp, Messenger or Microsoft Teams: its published flow
        runs unchanged there, buttons become the platform's buttons, and agents' replies from the inbox go out
        on the same channel.
      </p>
      {!canManage ? (
        <div className="banner" role="note">
          Only owners and admins manage channels.
        </div>
      ) : (
        <>
          <FormError error={channels.error} />
          <section aria-label="Connected channels">
            {channels.data?.length === 0 && <div className="empty">No channel connected yet.</div>}
            {channels.data?.map((channel) => (
              <ChannelCard key={channel.id} channel={channel} onChanged={() => channels.refetch()} />
            ))}
          </section>
          <ConnectChannel botId={botId} onConnected={() => channels.refetch()} />
        </>
      )}
    </main>
  );
}

/** A bot's messaging channels: connect wizards, webhook URLs, live status, test messages. */
export default function ChannelsPage() {
  return (
    <Shell>
      <Channels />
    </Shell>
  );
}
