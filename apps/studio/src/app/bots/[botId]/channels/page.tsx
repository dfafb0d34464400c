"use client";

import { Callout, Link as RadixLink, Text } from "@radix-ui/themes";
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
import { EmptyState, Page, PageSkeleton } from "../../../../components/ui/page";
import { toast } from "../../../../components/ui/toast";

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
    return <Page title="Channels">{bot.isLoading ? <PageSkeleton /> : <FormError error={bot.error} />}</Page>;
  return (
    <Page
      title="Channels"
      description={
        <RadixLink asChild>
          <Link href={`/bots/${botId}`}>← {bot.data.name}</Link>
        </RadixLink>
      }
    >
      <BotTabs botId={botId} active="channels" />
      <Text as="p" size="2" color="gray" mb="4" style={{ maxWidth: 760 }}>
        Connect {bot.data.name} to Slack, Telegram, WhatsApp, Messenger or Microsoft Teams: its published flow
        runs unchanged there, buttons become the platform's buttons, and agents' replies from the inbox go out
        on the same channel.
      </Text>
      {!canManage ? (
        <Callout.Root role="note" color="gray">
          <Callout.Text>Only owners and admins manage channels.</Callout.Text>
        </Callout.Root>
      ) : (
        <>
          <FormError error={channels.error} />
          <section aria-label="Connected channels">
            {channels.data?.length === 0 && (
              <EmptyState title="No channel connected yet.">
                Pick a platform below and follow its steps.
              </EmptyState>
            )}
            {channels.data?.map((channel) => (
              <ChannelCard key={channel.id} channel={channel} onChanged={() => channels.refetch()} />
            ))}
          </section>
          <ConnectChannel
            botId={botId}
            onConnected={(id) => {
              toast.success("Channel connected: give the platform its webhook URL.");
              return channels.refetch().then(() => id);
            }}
          />
        </>
      )}
    </Page>
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
