"use client";

import { Box, Button, Code, Flex, Select, Table, Text, TextField } from "@radix-ui/themes";
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { describeError, useTRPC } from "../../client/trpc";
import { FieldProblem } from "../../components/field";
import { FormError } from "../../components/form-error";
import { Shell } from "../../components/shell";
import { EmptyState, Page, TableSkeleton } from "../../components/ui/page";
import { toast } from "../../components/ui/toast";

/** The Select's value for "any target" (a Radix Select item cannot have the empty string as value). */
const ANY = "any";
const TARGETS = ["tenant", "bot", "flow", "api_key", "user", "invitation", "webhook"] as const;

interface Filter {
  action: string;
  targetType: string;
  from: string;
  to: string;
}

function toInput(filter: Filter) {
  return {
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.targetType ? { targetType: filter.targetType } : {}),
    ...(filter.from ? { from: new Date(filter.from).toISOString() } : {}),
    ...(filter.to ? { to: new Date(`${filter.to}T23:59:59`).toISOString() } : {}),
  };
}

function AuditLog() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Filter>({ action: "", targetType: "", from: "", to: "" });
  const [filter, setFilter] = useState<Filter>(draft);
  const log = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { ...toInput(filter), limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const entries = log.data?.pages.flatMap((page) => page.entries) ?? [];
  const rangeError =
    draft.from && draft.to && draft.from > draft.to ? "The end date is before the start date." : null;
  return (
    <Page title="Audit log" description="Every change in this workspace: who, what and when.">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!rangeError) setFilter(draft);
        }}
      >
        <Flex gap="2" align="center" wrap="wrap">
          <TextField.Root
            aria-label="Action"
            placeholder="Action, e.g. flow. or auth."
            value={draft.action}
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
            style={{ width: 240 }}
          />
          <Select.Root
            value={draft.targetType || ANY}
            onValueChange={(value) => setDraft({ ...draft, targetType: value === ANY ? "" : value })}
          >
            <Select.Trigger aria-label="Target" style={{ width: 160 }} />
            <Select.Content position="popper">
              <Select.Item value={ANY}>Any target</Select.Item>
              {TARGETS.map((target) => (
                <Select.Item key={target} value={target}>
                  {target}
                </Select.Item>
              ))}
            </Select.Content>
          </Select.Root>
          <TextField.Root
            aria-label="From"
            type="date"
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
          <TextField.Root
            aria-label="To"
            type="date"
            value={draft.to}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
            aria-invalid={rangeError !== null}
            aria-describedby={rangeError ? "audit-range-error" : undefined}
          />
          <Button type="submit" variant="soft">
            Filter
          </Button>
          <Box flexGrow="1" />
          <Button
            type="button"
            variant="surface"
            onClick={async () => {
              try {
                const file = await queryClient.fetchQuery(
                  trpc.audit.exportCsv.queryOptions(toInput(filter), { staleTime: 0 }),
                );
                const url = URL.createObjectURL(new Blob([file.csv], { type: "text/csv" }));
                const link = Object.assign(document.createElement("a"), {
                  href: url,
                  download: file.filename,
                });
                link.click();
                URL.revokeObjectURL(url);
                toast.success(`Exported ${file.filename}.`);
              } catch (error) {
                toast.error(`Export failed: ${describeError(error).message}`);
              }
            }}
          >
            Export CSV
          </Button>
        </Flex>
      </form>
      <FieldProblem id="audit-range-error" message={rangeError ?? undefined} />
      <FormError error={log.error} />
      <Box mt="4">
        {log.isPending ? (
          <TableSkeleton columns={5} />
        ) : entries.length === 0 ? (
          <EmptyState title="Nothing recorded here">
            {filter.action || filter.targetType || filter.from || filter.to
              ? "No change matches this filter: clear a field and filter again."
              : "Changes to bots, flows, members, keys and settings appear here as they happen."}
          </EmptyState>
        ) : (
          <Table.Root variant="surface">
            <Table.Header>
              <Table.Row>
                <Table.ColumnHeaderCell>When</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>Who</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>Action</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>Target</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>Change</Table.ColumnHeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {entries.map((entry) => (
                <Table.Row key={entry.id}>
                  <Table.Cell>
                    <Text color="gray">{new Date(entry.createdAt).toLocaleString()}</Text>
                  </Table.Cell>
                  <Table.Cell>
                    {entry.actorLabel || entry.actorType}
                    {entry.actorType === "user" && entry.actorId === null && (
                      <Text color="gray" title="Whoever did it was not signed in as this account">
                        {" "}
                        (not signed in)
                      </Text>
                    )}
                  </Table.Cell>
                  <Table.Cell>
                    <Code variant="ghost">{entry.action}</Code>
                  </Table.Cell>
                  <Table.Cell>
                    {entry.targetType} {entry.targetLabel && <strong>{entry.targetLabel} </strong>}
                    {entry.targetId && (
                      // Ids share their leading (time) part: the tail tells them apart; the whole id is in the tooltip.
                      <Code variant="ghost" color="gray" title={entry.targetId}>
                        …{entry.targetId.slice(-8)}
                      </Code>
                    )}
                  </Table.Cell>
                  <Table.Cell>
                    {(entry.before !== null || entry.after !== null) && (
                      <details>
                        <summary>{entry.before !== null ? "before / after" : "details"}</summary>
                        <pre>{JSON.stringify({ before: entry.before, after: entry.after }, null, 2)}</pre>
                      </details>
                    )}
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table.Root>
        )}
      </Box>
      {log.hasNextPage && (
        <Flex mt="3">
          <Button
            type="button"
            variant="soft"
            onClick={() => log.fetchNextPage()}
            disabled={log.isFetchingNextPage}
          >
            Load more
          </Button>
        </Flex>
      )}
    </Page>
  );
}

/** Every mutation in the workspace: who, what, when; filterable and exportable as CSV. */
export default function AuditPage() {
  return (
    <Shell>
      <AuditLog />
    </Shell>
  );
}
