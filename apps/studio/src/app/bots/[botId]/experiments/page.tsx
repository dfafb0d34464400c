"use client";

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
import { PageSkeleton } from "../../../../components/ui/page";

function Experiments() {
  const { botId } = useParams<{ botId: string }>();
  const trpc = useTRPC();
  const bot = useQuery(trpc.bots.get.queryOptions({ botId }));
  const experiments = useQuery(trpc.experiments.list.queryOptions({ botId }));
  const canManage = useCan("flows:publish");
  if (!bot.data)
    return (
      <main className="shell-main">{bot.isLoading ? <PageSkeleton /> : <FormError error={bot.error} />}</main>
    );
  return (
    <main className="shell-main">
      <p>
        <Link href={`/bots/${botId}`}>← {bot.data.name}</Link>
      </p>
      <h1>Experiments</h1>
      <BotTabs botId={botId} active="experiments" />
      <p className="muted page-intro">
        A/B tests of {bot.data.name}: new conversations are split between variants by weight (the same
        customer always gets the same one), and each variant's conversion to the goal is compared with the
        control, the first variant.
      </p>
      <FormError error={experiments.error} />
      {experiments.data?.length === 0 && <p className="muted">No experiments yet.</p>}
      {experiments.data?.map((experiment) => (
        <ExperimentCard key={experiment.id} experiment={experiment} canManage={canManage} />
      ))}
      {canManage &&
        (bot.data.entryFlowId ? (
          <CreateExperiment botId={botId} entryFlowId={bot.data.entryFlowId} />
        ) : (
          <p className="muted">Publish an entry flow before creating an experiment.</p>
        ))}
    </main>
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
