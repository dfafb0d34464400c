"use client";
import { Box, Button, Checkbox, Flex, Table, Text } from "@radix-ui/themes";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { describeError, useTRPC } from "../../client/trpc";
import { ProblemCallout } from "../field";
import { FormError } from "../form-error";
import { EmptyState, PageSkeleton } from "../ui/page";
import { type ConversationFilterDraft, toQuery } from "./conversation-table";

const cell = (value: unknown) =>
  value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);

/** The variables the bot's conversations captured: one row per conversation, chosen columns, export. */
export function ResultsTable({ botId, filters }: { botId: string; filters: ConversationFilterDraft }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [exportError, setExportError] = useState<string | null>(null);
  const cursor = cursors.at(-1);
  const base = { botId, ...toQuery(filters) };
  const page = useQuery(trpc.conversations.results.queryOptions({ ...base, limit: 50, cursor }));
  if (page.error) return <FormError error={page.error} />;
  if (!page.data) return <PageSkeleton />;
  const columns = page.data.availableColumns.filter((name) => !hidden.has(name));
  const download = async (format: "csv" | "xlsx") => {
    setExportError(null);
    try {
      const file = await queryClient.fetchQuery(
        trpc.conversations.exportResults.queryOptions(
          { ...base, format, ...(columns.length ? { columns: columns.join(",") } : {}) },
          { staleTime: 0 },
        ),
      );
      const bytes = Uint8Array.from(atob(file.base64), (char) => char.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: file.contentType }));
      Object.assign(document.createElement("a"), { href: url, download: file.filename }).click();
      URL.revokeObjectURL(url);
    } catch (error) {
      setExportError(describeError(error).message);
    }
  };
  return (
    <section>
      <Flex asChild gap="3" wrap="wrap" align="center" p="0" m="0" style={{ border: 0 }}>
        <fieldset>
          <Text as="span" size="2" weight="medium" asChild>
            <legend style={{ float: "left", marginRight: "var(--space-2)" }}>Columns</legend>
          </Text>
          {page.data.availableColumns.length === 0 && (
            <Text size="2" color="gray">
              The bot's published flows declare no variables yet.
            </Text>
          )}
          {page.data.availableColumns.map((name) => (
            <Text as="label" size="2" key={name}>
              <Flex gap="1" align="center">
                <Checkbox
                  checked={!hidden.has(name)}
                  onCheckedChange={() => {
                    const next = new Set(hidden);
                    if (next.has(name)) next.delete(name);
                    else next.add(name);
                    setHidden(next);
                  }}
                />
                {name}
              </Flex>
            </Text>
          ))}
          <Box flexGrow="1" />
          <Button variant="soft" color="gray" type="button" onClick={() => download("csv")}>
            Export CSV
          </Button>
          <Button variant="soft" color="gray" type="button" onClick={() => download("xlsx")}>
            Export XLSX
          </Button>
        </fieldset>
      </Flex>
      {exportError && <ProblemCallout>{exportError}</ProblemCallout>}
      {page.data.items.length === 0 && cursors.length === 1 ? (
        <Box role="status" mt="4">
          <EmptyState title="No results yet">
            A row appears for every conversation, with the values its ask, set-variable and llm nodes
            captured. Clear the filters or talk to the bot first.
          </EmptyState>
        </Box>
      ) : (
        <Table.Root variant="surface" className="results-table" mt="4">
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeaderCell>Conversation</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Started</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Contact</Table.ColumnHeaderCell>
              {columns.map((name) => (
                <Table.ColumnHeaderCell key={name}>{name}</Table.ColumnHeaderCell>
              ))}
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {page.data.items.map((row) => (
              <Table.Row key={row.conversationId}>
                <Table.Cell>
                  <Link href={`/bots/${botId}/conversations/${row.conversationId}`}>{row.state}</Link>
                </Table.Cell>
                <Table.Cell>{new Date(row.startedAt).toLocaleString()}</Table.Cell>
                <Table.Cell>{row.contactName ?? "—"}</Table.Cell>
                {columns.map((name) => (
                  <Table.Cell key={name}>{cell(row.values[name])}</Table.Cell>
                ))}
              </Table.Row>
            ))}
          </Table.Body>
        </Table.Root>
      )}
      <div className="row" style={{ marginTop: 8 }}>
        <Button
          variant="soft"
          color="gray"
          type="button"
          disabled={cursors.length === 1}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          ← Newer
        </Button>
        <Button
          variant="soft"
          color="gray"
          type="button"
          disabled={!page.data.nextCursor}
          onClick={() => setCursors([...cursors, page.data.nextCursor ?? undefined])}
        >
          Older →
        </Button>
      </div>
    </section>
  );
}
