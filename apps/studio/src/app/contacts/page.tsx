"use client";

import { Box, Button, Flex, Link as RadixLink, Table, TextField } from "@radix-ui/themes";
import { useQuery } from "@tanstack/react-query";
import { Search } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../../components/form-error";
import { Shell } from "../../components/shell";
import { EmptyState, Page, TableSkeleton } from "../../components/ui/page";

function Contacts() {
  const trpc = useTRPC();
  const [draft, setDraft] = useState("");
  const [q, setQ] = useState("");
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors.at(-1);
  const page = useQuery(trpc.contacts.list.queryOptions({ ...(q ? { q } : {}), limit: 25, cursor }));
  return (
    <Page
      title="Contacts"
      description="The people your bots talked to, across channels: a contact is created the first time a user id is seen on a channel. Open one to edit, merge, export or erase it."
    >
      <Flex asChild gap="2" align="center" mb="4">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setCursors([undefined]);
            setQ(draft.trim());
          }}
        >
          <TextField.Root
            type="search"
            aria-label="Search contacts"
            placeholder="Name, e-mail, phone or channel user id"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            style={{ width: 360 }}
          >
            <TextField.Slot>
              <Search size={14} aria-hidden />
            </TextField.Slot>
          </TextField.Root>
          <Button variant="soft" color="gray" type="submit">
            Search
          </Button>
        </form>
      </Flex>
      <FormError error={page.error} />
      {!page.data && !page.error && <TableSkeleton columns={6} />}
      {page.data && page.data.items.length === 0 && cursors.length === 1 ? (
        <Box role="status">
          {q ? (
            <EmptyState title={`No contact matches “${q}”`}>
              Try part of a name, an e-mail or a phone number.
            </EmptyState>
          ) : (
            <EmptyState title="No contacts yet">
              They appear when visitors identify themselves (the widget's identity token) or when a channel or
              API client starts conversations with a user id.
            </EmptyState>
          )}
        </Box>
      ) : (
        page.data && (
          <Table.Root variant="surface">
            <Table.Header>
              <Table.Row>
                <Table.ColumnHeaderCell>Name</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>E-mail</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>Phone</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>Channels</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>Conversations</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>Last seen</Table.ColumnHeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {page.data?.items.map((contact) => (
                <Table.Row key={contact.id}>
                  <Table.Cell>
                    <RadixLink asChild>
                      <Link href={`/contacts/${contact.id}`}>{contact.name ?? "Unnamed contact"}</Link>
                    </RadixLink>
                  </Table.Cell>
                  <Table.Cell>{contact.email ?? "—"}</Table.Cell>
                  <Table.Cell>{contact.phone ?? "—"}</Table.Cell>
                  <Table.Cell>{[...new Set(contact.identities.map((i) => i.channel))].join(", ")}</Table.Cell>
                  <Table.Cell>{contact.conversationCount}</Table.Cell>
                  <Table.Cell>{new Date(contact.lastSeenAt).toLocaleString()}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table.Root>
        )
      )}
      <Flex gap="2" mt="3">
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
          disabled={!page.data?.nextCursor}
          onClick={() => setCursors([...cursors, page.data?.nextCursor ?? undefined])}
        >
          Older →
        </Button>
      </Flex>
    </Page>
  );
}

/** The workspace's contacts: search and paging. */
export default function ContactsPage() {
  return (
    <Shell>
      <Contacts />
    </Shell>
  );
}
