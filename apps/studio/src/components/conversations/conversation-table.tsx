"use client";

import { Badge, Box, Button, Flex, Table, Text, TextField } from "@radix-ui/themes";
import { useQuery } from "@tanstack/react-query";
import { Search } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FieldProblem } from "../field";
import { FormError } from "../form-error";
import { EmptyState, TableSkeleton } from "../ui/page";
import { SimpleSelect } from "../ui/simple-select";

/** The colour of a conversation's state badge. */
const STATE_COLOR: Record<string, "green" | "amber" | "blue" | "gray"> = {
  active: "green",
  waiting: "amber",
  handoff: "blue",
};

/** The filters of the conversations table, as typed (empty = any). */
export interface ConversationFilterDraft {
  q: string;
  contact: string;
  channel: string;
  state: string;
  flowVersion: string;
  variant: string;
  since: string;
  until: string;
  lastActivitySince: string;
}

export const emptyFilters: ConversationFilterDraft = {
  q: "",
  contact: "",
  channel: "",
  state: "",
  flowVersion: "",
  variant: "",
  since: "",
  until: "",
  lastActivitySince: "",
};

const CHANNELS = ["web", "api", "whatsapp", "messenger", "slack", "teams", "telegram"];
const STATES = ["active", "waiting", "handoff", "ended"];

/** The draft as the list query (dates as the start of the local day, in ISO). */
export function toQuery(filters: ConversationFilterDraft) {
  const day = (value: string) => (value ? new Date(`${value}T00:00:00`).toISOString() : undefined);
  return {
    ...(filters.q.trim() ? { q: filters.q.trim() } : {}),
    ...(filters.contact.trim() ? { contact: filters.contact.trim() } : {}),
    ...(filters.channel ? { channel: filters.channel as "web" } : {}),
    ...(filters.state ? { state: filters.state as "active" } : {}),
    ...(filters.flowVersion ? { flowVersion: Number(filters.flowVersion) } : {}),
    ...(filters.variant.trim() ? { variant: filters.variant.trim() } : {}),
    ...(filters.since ? { since: day(filters.since) } : {}),
    ...(filters.until ? { until: day(filters.until) } : {}),
    ...(filters.lastActivitySince ? { lastActivitySince: day(filters.lastActivitySince) } : {}),
  };
}

const when = (iso: string) => new Date(iso).toLocaleString();

/** The search box and the filter row above both views (conversations and results). */
export function ConversationFilters({
  value,
  onApply,
}: {
  value: ConversationFilterDraft;
  onApply: (filters: ConversationFilterDraft) => void;
}) {
  const [draft, setDraft] = useState(value);
  const set = (patch: Partial<ConversationFilterDraft>) => setDraft({ ...draft, ...patch });
  const versionError =
    draft.flowVersion && !/^[1-9]\d*$/.test(draft.flowVersion) ? "A version is a whole number from 1" : null;
  return (
    <form
      className="conversation-filters"
      onSubmit={(event) => {
        event.preventDefault();
        if (!versionError) onApply(draft);
      }}
    >
      <Flex gap="2" wrap="wrap" align="center">
        <TextField.Root
          type="search"
          aria-label="Search messages"
          placeholder="Search messages (words, &quot;a phrase&quot;, -word)"
          value={draft.q}
          onChange={(e) => set({ q: e.target.value })}
          style={{ width: 360 }}
        >
          <TextField.Slot>
            <Search size={14} aria-hidden />
          </TextField.Slot>
        </TextField.Root>
        <Button variant="soft" color="gray" type="submit">
          Search
        </Button>
        <Button
          variant="soft"
          color="gray"
          type="button"
          onClick={() => {
            setDraft(emptyFilters);
            onApply(emptyFilters);
          }}
        >
          Clear filters
        </Button>
      </Flex>
      <Flex gap="2" wrap="wrap" align="center" mt="2">
        <TextField.Root
          aria-label="Contact"
          placeholder="Contact name, e-mail or phone"
          value={draft.contact}
          onChange={(e) => set({ contact: e.target.value })}
        />
        <SimpleSelect
          aria-label="Channel"
          value={draft.channel}
          onValueChange={(channel) => set({ channel })}
          options={[{ value: "", label: "Any channel" }, ...CHANNELS]}
        />
        <SimpleSelect
          aria-label="Status"
          value={draft.state}
          onValueChange={(state) => set({ state })}
          options={[{ value: "", label: "Any status" }, ...STATES]}
        />
        <TextField.Root
          aria-label="Flow version"
          placeholder="Version"
          inputMode="numeric"
          value={draft.flowVersion}
          onChange={(e) => set({ flowVersion: e.target.value })}
          aria-invalid={versionError !== null}
          aria-describedby={versionError ? "flow-version-error" : undefined}
          style={{ width: 90 }}
        />
        <TextField.Root
          aria-label="Experiment variant"
          placeholder="Variant"
          value={draft.variant}
          onChange={(e) => set({ variant: e.target.value })}
          style={{ width: 110 }}
        />
        <Text as="label" size="2" color="gray">
          <Flex gap="1" align="center">
            Started from
            <TextField.Root
              aria-label="Started from"
              type="date"
              value={draft.since}
              onChange={(e) => set({ since: e.target.value })}
            />
          </Flex>
        </Text>
        <Text as="label" size="2" color="gray">
          <Flex gap="1" align="center">
            to
            <TextField.Root
              aria-label="Started to"
              type="date"
              value={draft.until}
              onChange={(e) => set({ until: e.target.value })}
            />
          </Flex>
        </Text>
        <Text as="label" size="2" color="gray">
          <Flex gap="1" align="center">
            Active since
            <TextField.Root
              aria-label="Active since"
              type="date"
              value={draft.lastActivitySince}
              onChange={(e) => set({ lastActivitySince: e.target.value })}
            />
          </Flex>
        </Text>
      </Flex>
      <FieldProblem id="flow-version-error" message={versionError ?? undefined} />
    </form>
  );
}

/** The conversations table of a bot: newest first, a page at a time. */
export function ConversationTable({ botId, filters }: { botId: string; filters: ConversationFilterDraft }) {
  const trpc = useTRPC();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors.at(-1);
  const page = useQuery(
    trpc.conversations.list.queryOptions({ botId, ...toQuery(filters), limit: 25, cursor }),
  );
  const filtered = JSON.stringify(toQuery(filters)) !== "{}";
  if (page.error) return <FormError error={page.error} />;
  if (!page.data) return <TableSkeleton columns={8} rows={5} />;
  if (page.data.items.length === 0 && cursors.length === 1) {
    return (
      <Box role="status" mt="4">
        {filtered ? (
          <EmptyState title="No conversation matches">
            No conversation matches these filters. Clear a filter or search for other words.
          </EmptyState>
        ) : (
          <EmptyState
            title="No conversations yet"
            action={
              <Button asChild variant="soft">
                <Link href={`/bots/${botId}/settings`}>Get the embed snippet</Link>
              </Button>
            }
          >
            No conversations yet. Publish the bot's flow, then talk to it in the designer's test chat, on the
            widget (Settings → embed snippet) or over the REST API: every conversation shows up here.
          </EmptyState>
        )}
      </Box>
    );
  }
  return (
    <>
      <Table.Root variant="surface" className="conversation-table" mt="4">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeaderCell>Contact</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Channel</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Status</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Flow version</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Variant</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Started</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Last activity</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Turns</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>CSAT</Table.ColumnHeaderCell>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {page.data.items.map((row) => (
            <Table.Row key={row.conversationId}>
              <Table.Cell>
                <Link href={`/bots/${botId}/conversations/${row.conversationId}`}>
                  {row.contactName ?? (row.contactId ? "Unnamed contact" : "Anonymous visitor")}
                </Link>
              </Table.Cell>
              <Table.Cell>{row.channel}</Table.Cell>
              <Table.Cell>
                <Badge color={STATE_COLOR[row.state] ?? "gray"}>{row.state}</Badge>
              </Table.Cell>
              <Table.Cell>{row.flowVersion === null ? "draft" : `v${row.flowVersion}`}</Table.Cell>
              <Table.Cell>{row.experimentVariant ?? "—"}</Table.Cell>
              <Table.Cell>{when(row.startedAt)}</Table.Cell>
              <Table.Cell>{when(row.lastActivityAt)}</Table.Cell>
              <Table.Cell>{row.turnCount}</Table.Cell>
              <Table.Cell>{row.csatScore === null ? "—" : `${row.csatScore}/5`}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
      <Flex gap="3" align="center" mt="3">
        <Button
          variant="soft"
          color="gray"
          type="button"
          disabled={cursors.length === 1}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          ← Newer
        </Button>
        <Text size="2" color="gray">
          Page {cursors.length}
        </Text>
        <Button
          variant="soft"
          color="gray"
          type="button"
          disabled={!page.data.nextCursor}
          onClick={() => setCursors([...cursors, page.data.nextCursor ?? undefined])}
        >
          Older →
        </Button>
      </Flex>
    </>
  );
}
