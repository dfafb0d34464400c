"use client";

import { Link as RadixLink, Text } from "@radix-ui/themes";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useCan } from "../../../../client/session";
import { useTRPC } from "../../../../client/trpc";
import { BotTabs } from "../../../../components/bot-tabs";
import { CreateExperiment } from "../../../../components/experiments/create-experiment";
import { ExperimentCard } from "../../../../components/experiments/experiment-card";
import { FormError } from "../../../../components/form-error";
import { Shell } from "../../../../components/shell";
import "../../../../components/model-pages.css";
import { EmptyState, Page, PageSkeleton } from "../../../../components/ui/page";

function Experiments() {
  const { botId } = useParams<{ botId: string }>();
  const trpc = useTRPC();
  const bot = useQuery(trpc.bots.get.queryOptions({ botId }));
  const experiments = useQuery(trpc.experiments.list.queryOptions({ botId }));
  const canManage = useCan("flows:publish");
  if (!bot.data)
    return (
      <Page title="Experiments">{bot.isLoading ? <PageSkeleton /> : <FormError error={bot.error} />}</Page>
    );
  return (
    <Page
      title="Experiments"
      description={
        <RadixLink asChild>
          <Link href={`/bots/${botId}`}>← {bot.data.name}</Link>
        </RadixLink>
      }
    >
      <BotTabs botId={botId} active="experiments" />
      <Text as="p" size="2" color="gray" mb="4">
        A/B tests of {bot.data.name}: new conversations are split between variants by weight (the same
        customer always gets the same one), and each variant's conversion to the goal is compared with the
        control, the first variant.
      </Text>
      <FormError error={experiments.error} />
      {experiments.data?.length === 0 && (
        <EmptyState title="No experiments yet.">
          {canManage ? "Draft one below, then start it." : "Editors who can publish create them."}
        </EmptyState>
      )}
      {experiments.data?.map((experiment) => (
        <ExperimentCard key={experiment.id} experiment={experiment} canManage={canManage} />
      ))}
      {canManage &&
        (bot.data.entryFlowId ? (
          <CreateExperiment botId={botId} entryFlowId={bot.data.entryFlowId} />
        ) : (
          <Text as="p" size="2" color="gray" mt="4">
            Publish an entry flow before creating an experiment.
          </Text>
        ))}
    </Page>
  );
}

/** A bot's A/B experiments: list, create, start/stop, live results and promotion of the winner. */
export default function ExperimentsPage() {
  return (
    <Shell>
      <Experiments />
    </Shell>
  );
}
