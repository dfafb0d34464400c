"use client";
import { Button } from "@radix-ui/themes";

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
import { PageSkeleton } from "../../../../components/ui/page";

function Conversations() {
  const { botId } = useParams<{ botId: string }>();
  const trpc = useTRPC();
  const bot = useQuery(trpc.bots.get.queryOptions({ botId }));
  const [filters, setFilters] = useState(emptyFilters);
  const [view, setView] = useState<"conversations" | "results">("conversations");
  if (!bot.data)
    return (
      <main className="shell-main">{bot.isLoading ? <PageSkeleton /> : <FormError error={bot.error} />}</main>
    );
  const key = JSON.stringify(filters);
  return (
    <main className="shell-main">
      <p>
        <Link href={`/bots/${botId}`}>← {bot.data.name}</Link>
      </p>
      <h1>Conversations</h1>
      <BotTabs botId={botId} active="conversations" />
      <div className="row" role="tablist" aria-label="View" style={{ margin: "8px 0" }}>
        <Button
          variant="soft"
          color="gray"
          type="button"
          role="tab"
          aria-selected={view === "conversations"}
          onClick={() => setView("conversations")}
        >
          Conversations
        </Button>
        <Button
          variant="soft"
          color="gray"
          type="button"
          role="tab"
          aria-selected={view === "results"}
          onClick={() => setView("results")}
        >
          Results
        </Button>
      </div>
      <ConversationFilters value={filters} onApply={setFilters} />
      {view === "conversations" ? (
        <ConversationTable key={key} botId={botId} filters={filters} />
      ) : (
        <ResultsTable key={key} botId={botId} filters={filters} />
      )}
    </main>
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
