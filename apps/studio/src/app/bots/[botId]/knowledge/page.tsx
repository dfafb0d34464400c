"use client";

import { Link as RadixLink, Text } from "@radix-ui/themes";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useCan } from "../../../../client/session";
import { useTRPC } from "../../../../client/trpc";
import { BotTabs } from "../../../../components/bot-tabs";
import { FormError } from "../../../../components/form-error";
import { AddDocuments } from "../../../../components/knowledge/add-documents";
import { DocumentsTable } from "../../../../components/knowledge/documents-table";
import { SearchBox } from "../../../../components/knowledge/search-box";
import { Shell } from "../../../../components/shell";
import "../../../../components/model-pages.css";
import { Page, PageSkeleton } from "../../../../components/ui/page";

function Knowledge() {
  const { botId } = useParams<{ botId: string }>();
  const trpc = useTRPC();
  const bot = useQuery(trpc.bots.get.queryOptions({ botId }));
  const canWrite = useCan("knowledge:write");
  if (!bot.data)
    return (
      <Page title="Knowledge base">{bot.isLoading ? <PageSkeleton /> : <FormError error={bot.error} />}</Page>
    );
  return (
    <Page
      title="Knowledge base"
      description={
        <RadixLink asChild>
          <Link href={`/bots/${botId}`}>← {bot.data.name}</Link>
        </RadixLink>
      }
    >
      <BotTabs botId={botId} active="knowledge" />
      <Text as="p" size="2" color="gray" mb="4">
        The documents {bot.data.name}'s knowledge nodes answer from. Each is split into overlapping chunks and
        indexed for full-text search; an answer cites the chunks it used, and with no relevant chunk the node
        takes its no-answer branch.
        {canWrite ? "" : " Your role can search but not change documents."}
      </Text>
      {canWrite && <AddDocuments botId={botId} />}
      <DocumentsTable botId={botId} canWrite={canWrite} />
      <SearchBox botId={botId} />
    </Page>
  );
}

/** A bot's knowledge base: documents and their indexing status, uploads and URL lists, a retrieval test. */
export default function KnowledgePage() {
  return (
    <Shell>
      <Knowledge />
    </Shell>
  );
}
