"use client";

import { type ContactDetail, mergeContactsInputSchema, updateContactInputSchema } from "@parley/contract";
import {
  Box,
  Button,
  Card,
  Code,
  Flex,
  Grid,
  Heading,
  Link as RadixLink,
  Table,
  Text,
  TextField,
} from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useState } from "react";
import { z } from "zod";
import { useCan } from "../../../client/session";
import { describeError, useTRPC } from "../../../client/trpc";
import { FormProblems } from "../../../components/field";
import { FormError } from "../../../components/form-error";
import { Shell } from "../../../components/shell";
import {
  applyServerErrors,
  TextAreaFormField,
  TextFormField,
  useZodForm,
} from "../../../components/ui/form-field";
import { Page, PageSkeleton } from "../../../components/ui/page";
import { toast } from "../../../components/ui/toast";

/** A text field of the contact as typed: blank clears it (`null`). */
const blankIsNull = z.string().transform((text) => text.trim() || null);

/**
 * The contact form, from the contract's update schema (each text field checked by its rule once
 * blank is read as "clear"); the attributes typed as a JSON object.
 */
const contactForm = z.object({
  name: blankIsNull.pipe(updateContactInputSchema.shape.name.unwrap()),
  email: blankIsNull.pipe(updateContactInputSchema.shape.email.unwrap()),
  phone: blankIsNull.pipe(updateContactInputSchema.shape.phone.unwrap()),
  attributes: z.string().transform((text, ctx) => {
    const message = 'Attributes must be a JSON object, e.g. {"plan": "pro"}';
    let value: unknown;
    try {
      value = JSON.parse(text.trim() || "{}");
    } catch {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    }
    const checked = updateContactInputSchema.shape.attributes.unwrap().safeParse(value);
    if (checked.success) return checked.data;
    ctx.addIssue({ code: "custom", message: checked.error.issues[0]?.message ?? message });
    return z.NEVER;
  }),
});

/** The merge form: the contract's source contact id. */
const mergeForm = z.object({ sourceContactId: mergeContactsInputSchema.shape.sourceContactId.trim() });

/** The contact's details form (name, e-mail, phone, attributes), saved with the contract's update. */
function ContactDetails({ contact, canWrite }: { contact: ContactDetail; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useZodForm(contactForm, {
    mode: "onSubmit",
    defaultValues: {
      name: contact.name ?? "",
      email: contact.email ?? "",
      phone: contact.phone ?? "",
      attributes: JSON.stringify(contact.attributes, null, 2),
    },
    disabled: !canWrite,
  });
  const update = useMutation(
    trpc.contacts.update.mutationOptions({
      onSuccess: () => {
        toast.success("Contact saved.");
        return queryClient.invalidateQueries();
      },
      onError: (error) => applyServerErrors(form, error, ["name", "email", "phone", "attributes"]),
    }),
  );
  return (
    <Card size="3" asChild>
      <form
        aria-label="Contact details"
        noValidate
        onSubmit={form.handleSubmit((values) => update.mutate({ contactId: contact.id, ...values }))}
      >
        <Grid columns={{ initial: "1", sm: "3" }} gapX="4">
          <TextFormField form={form} name="name" id="contact-name" label="Name" />
          <TextFormField form={form} name="email" id="contact-email" label="E-mail" type="email" />
          <TextFormField form={form} name="phone" id="contact-phone" label="Phone" type="tel" />
        </Grid>
        <TextAreaFormField
          form={form}
          name="attributes"
          id="contact-attributes"
          label="Attributes (contact variables included)"
          rows={5}
          style={{ fontFamily: "var(--code-font-family)" }}
        />
        <FormProblems error={update.error} shown={["name", "email", "phone", "attributes"]} />
        {canWrite && (
          <Flex mt="4">
            <Button type="submit" disabled={update.isPending}>
              {update.isPending ? "Saving…" : "Save"}
            </Button>
          </Flex>
        )}
      </form>
    </Card>
  );
}

/** "Merge another contact into this one": the other contact's id. */
function MergeContacts({ contactId }: { contactId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useZodForm(mergeForm, { mode: "onSubmit", defaultValues: { sourceContactId: "" } });
  const merge = useMutation(
    trpc.contacts.merge.mutationOptions({
      onSuccess: () => {
        form.reset();
        return queryClient.invalidateQueries();
      },
      onError: (error) => applyServerErrors(form, error, ["sourceContactId"]),
    }),
  );
  return (
    <form
      aria-label="Merge contacts"
      noValidate
      onSubmit={form.handleSubmit((values) => merge.mutate({ contactId, ...values }))}
    >
      <Flex gap="3" align="start" wrap="wrap">
        <Box flexGrow="1" style={{ maxWidth: 420 }}>
          <TextFormField
            form={form}
            name="sourceContactId"
            id="merge-contact-id"
            label="Merge another contact into this one (its id)"
            placeholder="Contact id"
          />
        </Box>
        <Box style={{ marginTop: 36 }}>
          <Button variant="soft" color="gray" type="submit" disabled={merge.isPending}>
            {merge.isPending ? "Merging…" : "Merge"}
          </Button>
        </Box>
        {merge.isSuccess && (
          <Text as="p" size="2" color="gray" role="status" style={{ marginTop: 42 }}>
            Merged.
          </Text>
        )}
      </Flex>
      <FormProblems error={merge.error} shown={["sourceContactId"]} />
    </form>
  );
}

function Profile() {
  const { contactId } = useParams<{ contactId: string }>();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const canWrite = useCan("conversations:write");
  const contact = useQuery(trpc.contacts.get.queryOptions({ contactId }));
  const [confirmErase, setConfirmErase] = useState("");
  const erase = useMutation(
    trpc.contacts.erase.mutationOptions({ onSuccess: () => router.push("/contacts") }),
  );
  if (!contact.data)
    return (
      <Page title="Contact">
        {contact.isLoading ? <PageSkeleton /> : <FormError error={contact.error} />}
      </Page>
    );
  const c = contact.data;
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
      toast.error(describeError(error).message);
    }
  };
  return (
    <Page
      title={c.name ?? "Unnamed contact"}
      description={
        <RadixLink asChild>
          <Link href="/contacts">← Contacts</Link>
        </RadixLink>
      }
    >
      {/* Keyed by the stored values: a merge or save shows the new ones. */}
      <ContactDetails
        key={JSON.stringify([c.name, c.email, c.phone, c.attributes])}
        contact={c}
        canWrite={canWrite}
      />
      <Heading as="h2" size="4" mt="5" mb="2">
        Identities
      </Heading>
      <ul>
        {c.identities.map((identity) => (
          <li key={`${identity.channel}:${identity.externalId}`}>
            {identity.channel}: <Code>{identity.externalId}</Code>
          </li>
        ))}
      </ul>
      <Heading as="h2" size="4" mt="5" mb="2">
        Conversations
      </Heading>
      {c.conversations.length === 0 ? (
        <Text as="p" size="2" color="gray">
          No conversations.
        </Text>
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
                  <RadixLink asChild>
                    <Link href={`/bots/${row.botId}/conversations/${row.conversationId}`}>{row.botName}</Link>
                  </RadixLink>
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
      <Heading as="h2" size="4" mt="5" mb="2">
        Privacy
      </Heading>
      <Card size="3">
        <Button variant="soft" color="gray" type="button" onClick={exportJson}>
          Export everything (JSON)
        </Button>
        {canWrite && (
          <>
            <MergeContacts contactId={contactId} />
            <form
              aria-label="Erase contact"
              onSubmit={(event) => {
                event.preventDefault();
                erase.mutate({ contactId });
              }}
            >
              <Flex direction="column" gap="1" mt="4">
                <Text as="label" htmlFor="erase-confirm" size="2" weight="medium">
                  Erase this contact and all its conversations, messages and variables (cannot be undone).
                  Type <strong>erase</strong> to confirm
                </Text>
                <Flex gap="3" align="center">
                  <TextField.Root
                    id="erase-confirm"
                    value={confirmErase}
                    onChange={(e) => setConfirmErase(e.target.value)}
                    aria-label="Type erase"
                    style={{ width: 200 }}
                  />
                  <Button
                    variant="soft"
                    color="red"
                    type="submit"
                    disabled={confirmErase !== "erase" || erase.isPending}
                  >
                    {erase.isPending ? "Erasing…" : "Erase contact"}
                  </Button>
                </Flex>
              </Flex>
            </form>
            <FormError error={erase.error} />
          </>
        )}
      </Card>
    </Page>
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
