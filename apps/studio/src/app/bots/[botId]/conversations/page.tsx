"use client";

import { Box, Link as RadixLink, SegmentedControl } from "@radix-ui/themes";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "../../../../client/trpc";
import { BotTabs } from "../../../../components/bot-tabs";
import {
  ConversationFilters,
  ConversationTable,
  emptyFilters,
} from "../../../../components/conversations/conversation-table";
import { ResultsTable } from "../../../../components/conversations/results-table";
import { FormError } from "../../../../components/form-error";
import { Shell } from "../../../../components/shell";
import "../../../../components/conversations/conversations.css";
import { Page, PageSkeleton } from "../../../../components/ui/page";

function Conversations() {
  const { botId } = useParams<{ botId: string }>();
  const trpc = useTRPC();
  const bot = useQuery(trpc.bots.get.queryOptions({ botId }));
  const [filters, setFilters] = useState(emptyFilters);
  const [view, setView] = useState<"conversations" | "results">("conversations");
  if (!bot.data)
    return (
      <Page title="Conversations">{bot.isLoading ? <PageSkeleton /> : <FormError error={bot.error} />}</Page>
    );
  const key = JSON.stringify(filters);
  return (
    <Page
      title="Conversations"
      description={
        <RadixLink asChild>
          <Link href={`/bots/${botId}`}>← {bot.data.name}</Link>
        </RadixLink>
      }
    >
      <BotTabs botId={botId} active="conversations" />
      <Box mb="3">
        <SegmentedControl.Root
          value={view}
          onValueChange={(next) => setView(next as typeof view)}
          aria-label="View"
        >
          <SegmentedControl.Item value="conversations">Conversations</SegmentedControl.Item>
          <SegmentedControl.Item value="results">Results</SegmentedControl.Item>
        </SegmentedControl.Root>
      </Box>
      <ConversationFilters value={filters} onApply={setFilters} />
      {view === "conversations" ? (
        <ConversationTable key={key} botId={botId} filters={filters} />
      ) : (
        <ResultsTable key={key} botId={botId} filters={filters} />
      )}
    </Page>
  );
}

/** A bot's conversations (search, filters, paging) and its results table with CSV/XLSX export. */
export default function ConversationsPage() {
  return (
    <Shell>
      <Conversations />
    </Shell>
  );
}
