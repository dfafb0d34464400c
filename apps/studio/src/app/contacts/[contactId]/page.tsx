"use client";
import { Button, Table } from "@radix-ui/themes";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useState } from "react";
import { useCan } from "../../../client/session";
import { describeError, useTRPC } from "../../../client/trpc";
import { FormProblems, invalidProps, issuesOf } from "../../../components/field";
import { FormError } from "../../../components/form-error";
import { Shell } from "../../../components/shell";
import "../../../components/conversations/conversations.css";
import { PageSkeleton } from "../../../components/ui/page";

function Profile() {
  const { contactId } = useParams<{ contactId: string }>();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const canWrite = useCan("conversations:write");
  const contact = useQuery(trpc.contacts.get.queryOptions({ contactId }));
  const [form, setForm] = useState<{ name: string; email: string; phone: string; attributes: string } | null>(
    null,
  );
  const [attributesError, setAttributesError] = useState<string | null>(null);
  const [mergeId, setMergeId] = useState("");
  const [confirmErase, setConfirmErase] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries();
  const update = useMutation(
    trpc.contacts.update.mutationOptions({
      onSuccess: () => {
        setForm(null);
        return refresh();
      },
    }),
  );
  const merge = useMutation(
    trpc.contacts.merge.mutationOptions({
      onSuccess: () => {
        setMergeId("");
        setMessage("Merged.");
        return refresh();
      },
    }),
  );
  const erase = useMutation(
    trpc.contacts.erase.mutationOptions({ onSuccess: () => router.push("/contacts") }),
  );
  if (!contact.data)
    return (
      <main className="shell-main">
        {contact.isLoading ? <PageSkeleton /> : <FormError error={contact.error} />}
      </main>
    );
  const c = contact.data;
  const errors = issuesOf(update.error);
  const editing = form ?? {
    name: c.name ?? "",
    email: c.email ?? "",
    phone: c.phone ?? "",
    attributes: JSON.stringify(c.attributes, null, 2),
  };
  const exportJson = async () => {
    try {
      const data = await queryClient.fetchQuery(
        trpc.contacts.export.queryOptions({ contactId }, { staleTime: 0 }),
      );
      const url = URL.createObjectURL(
        new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }),
      );
      Object.assign(document.createElement("a"), {
        href: url,
        download: `contact-${contactId}.json`,
      }).click();
      URL.revokeObjectURL(url);
    } catch (error) {
      setMessage(describeError(error).message);
    }
  };
  return (
    <main className="shell-main">
      <p>
        <Link href="/contacts">← Contacts</Link>
      </p>
      <h1>{c.name ?? "Unnamed contact"}</h1>
      {message && <div className="banner">{message}</div>}
      <form
        aria-label="Contact details"
        onSubmit={(event) => {
          event.preventDefault();
          let attributes: Record<string, unknown>;
          try {
            attributes = JSON.parse(editing.attributes || "{}");
            if (typeof attributes !== "object" || attributes === null || Array.isArray(attributes))
              throw new Error();
          } catch {
            setAttributesError('Attributes must be a JSON object, e.g. {"plan": "pro"}');
            return;
          }
          setAttributesError(null);
          update.mutate({
            contactId,
            name: editing.name.trim() || null,
            email: editing.email.trim() || null,
            phone: editing.phone.trim() || null,
            attributes,
          });
        }}
      >
        <label>
          Name
          <input
            value={editing.name}
            disabled={!canWrite}
            onChange={(e) => setForm({ ...editing, name: e.target.value })}
            {...invalidProps("contact-name", errors.name)}
          />
        </label>
        {errors.name && (
          <div className="field-error" id="contact-name-error">
            {errors.name}
          </div>
        )}
        <label>
          E-mail
          <input
            value={editing.email}
            disabled={!canWrite}
            onChange={(e) => setForm({ ...editing, email: e.target.value })}
            {...invalidProps("contact-email", errors.email)}
          />
        </label>
        {errors.email && (
          <div className="field-error" id="contact-email-error">
            {errors.email}
          </div>
        )}
        <label>
          Phone
          <input
            value={editing.phone}
            disabled={!canWrite}
            onChange={(e) => setForm({ ...editing, phone: e.target.value })}
            {...invalidProps("contact-phone", errors.phone)}
          />
        </label>
        {errors.phone && (
          <div className="field-error" id="contact-phone-error">
            {errors.phone}
          </div>
        )}
        <label>
          Attributes (contact variables included)
          <textarea
            rows={5}
            value={editing.attributes}
            disabled={!canWrite}
            onChange={(e) => setForm({ ...editing, attributes: e.target.value })}
            aria-invalid={attributesError !== null}
          />
        </label>
        {attributesError && (
          <div className="field-error" role="alert">
            {attributesError}
          </div>
        )}
        <FormProblems error={update.error} shown={["name", "email", "phone"]} />
        {canWrite && (
          <Button variant="soft" color="gray" type="submit" disabled={update.isPending}>
            Save
          </Button>
        )}
      </form>
      <h2>Identities</h2>
      <ul>
        {c.identities.map((identity) => (
          <li key={`${identity.channel}:${identity.externalId}`}>
            {identity.channel}: <code>{identity.externalId}</code>
          </li>
        ))}
      </ul>
      <h2>Conversations</h2>
      {c.conversations.length === 0 ? (
        <p className="muted">No conversations.</p>
      ) : (
        <Table.Root variant="surface">
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeaderCell>Bot</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Channel</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Status</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Started</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Turns</Table.ColumnHeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {c.conversations.map((row) => (
              <Table.Row key={row.conversationId}>
                <Table.Cell>
                  <Link href={`/bots/${row.botId}/conversations/${row.conversationId}`}>{row.botName}</Link>
                </Table.Cell>
                <Table.Cell>{row.channel}</Table.Cell>
                <Table.Cell>{row.state}</Table.Cell>
                <Table.Cell>{new Date(row.startedAt).toLocaleString()}</Table.Cell>
                <Table.Cell>{row.turnCount}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table.Root>
      )}
      <h2>Privacy</h2>
      <p className="row">
        <Button variant="soft" color="gray" type="button" onClick={exportJson}>
          Export everything (JSON)
        </Button>
      </p>
      {canWrite && (
        <>
          <form
            aria-label="Merge contacts"
            className="row wrap"
            onSubmit={(event) => {
              event.preventDefault();
              merge.mutate({ contactId, sourceContactId: mergeId.trim() });
            }}
          >
            <label>
              Merge another contact into this one (its id)
              <input value={mergeId} onChange={(e) => setMergeId(e.target.value)} placeholder="Contact id" />
            </label>
            <Button variant="soft" color="gray" type="submit" disabled={!mergeId.trim() || merge.isPending}>
              Merge
            </Button>
          </form>
          <FormError error={merge.error} />
          <form
            aria-label="Erase contact"
            className="row wrap"
            onSubmit={(event) => {
              event.preventDefault();
              erase.mutate({ contactId });
            }}
          >
            <label>
              Erase this contact and all its conversations, messages and variables (cannot be undone). Type{" "}
              <strong>erase</strong> to confirm
              <input
                value={confirmErase}
                onChange={(e) => setConfirmErase(e.target.value)}
                aria-label="Type erase"
              />
            </label>
            <Button
              variant="soft"
              color="red"
              type="submit"
              disabled={confirmErase !== "erase" || erase.isPending}
            >
              Erase contact
            </Button>
          </form>
          <FormError error={erase.error} />
        </>
      )}
    </main>
  );
}

/** A contact's profile: details, identities, conversations, merge, GDPR export and erasure. */
export default function ContactPage() {
  return (
    <Shell>
      <Profile />
    </Shell>
  );
}
