"use client";
import { Button, Table } from "@radix-ui/themes";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../../components/form-error";
import { Shell } from "../../components/shell";
import "../../components/conversations/conversations.css";

function Contacts() {
  const trpc = useTRPC();
  const [draft, setDraft] = useState("");
  const [q, setQ] = useState("");
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors.at(-1);
  const page = useQuery(trpc.contacts.list.queryOptions({ ...(q ? { q } : {}), limit: 25, cursor }));
  return (
    <main className="shell-main">
      <h1>Contacts</h1>
      <p className="muted page-intro">
        The people your bots talked to, across channels: a contact is created the first time a user id is seen
        on a channel. Open one to edit, merge, export or erase it.
      </p>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          setCursors([undefined]);
          setQ(draft.trim());
        }}
      >
        <input
          type="search"
          aria-label="Search contacts"
          placeholder="Name, e-mail, phone or channel user id"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          style={{ minWidth: 320 }}
        />
        <Button variant="soft" color="gray" type="submit">
          Search
        </Button>
      </form>
      <FormError error={page.error} />
      {page.data && page.data.items.length === 0 && cursors.length === 1 ? (
        <div className="empty-state" role="status">
          {q ? (
            <p>No contact matches “{q}”. Try part of a name, an e-mail or a phone number.</p>
          ) : (
            <p>
              No contacts yet. They appear when visitors identify themselves (the widget's identity token) or
              when a channel or API client starts conversations with a user id.
            </p>
          )}
        </div>
      ) : (
        <Table.Root variant="surface" style={{ marginTop: 16 }}>
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
                  <Link href={`/contacts/${contact.id}`}>{contact.name ?? "Unnamed contact"}</Link>
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
          disabled={!page.data?.nextCursor}
          onClick={() => setCursors([...cursors, page.data?.nextCursor ?? undefined])}
        >
          Older →
        </Button>
      </div>
    </main>
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
