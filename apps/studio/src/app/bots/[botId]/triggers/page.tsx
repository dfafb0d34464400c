"use client";

import { createTriggerInputSchema, triggerVariableMappingSchema } from "@parley/contract";
import {
  Box,
  Button,
  Callout,
  Card,
  Code,
  Flex,
  Grid,
  Heading,
  Link as RadixLink,
  Switch,
  Table,
  Text,
} from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useState } from "react";
import { z } from "zod";
import { useTRPC } from "../../../../client/trpc";
import { BotTabs } from "../../../../components/bot-tabs";
import { FormProblems, issuesOf } from "../../../../components/field";
import { FormError } from "../../../../components/form-error";
import { Shell } from "../../../../components/shell";
import { ConfirmButton } from "../../../../components/ui/confirm-dialog";
import { SelectFormField } from "../../../../components/ui/form-controls";
import {
  applyServerErrorsAt,
  TextAreaFormField,
  TextFormField,
  useZodForm,
} from "../../../../components/ui/form-field";
import { EmptyState, Page } from "../../../../components/ui/page";
import { toast } from "../../../../components/ui/toast";
import { FireTrigger } from "./fire-trigger";

/**
 * The new-trigger form, from the contract's trigger schema: the variables typed as
 * "orderId = data.order.id" lines, read into the contract's mapping.
 */
const triggerForm = z.object({
  name: createTriggerInputSchema.shape.name,
  channel: createTriggerInputSchema.shape.channel.unwrap(),
  flowId: z.union([z.literal(""), createTriggerInputSchema.shape.flowId.unwrap()]),
  mapping: z
    .string()
    .superRefine((text, ctx) => {
      for (const line of text.split("\n")) {
        if (line.trim() !== "" && line.indexOf("=") <= 0)
          ctx.addIssue({ code: "custom", message: `"${line.trim()}" is not "variable = expression"` });
      }
    })
    .transform(mappingOf)
    .pipe(triggerVariableMappingSchema),
});

/** "orderId = data.order.id" lines as a mapping (variable -> JSONata). */
function mappingOf(text: string): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const at = line.indexOf("=");
    if (at <= 0) continue;
    mapping[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return mapping;
}

/** The form field showing a server problem (`trigger.name` from input checks, `name` from the service). */
function fieldOfPath(path: string) {
  const bare = path.replace(/^trigger\./, "");
  if (bare === "name" || bare === "channel" || bare === "flowId") return bare;
  return bare.startsWith("variables") ? ("mapping" as const) : undefined;
}

function Triggers() {
  const { botId } = useParams<{ botId: string }>();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const bot = useQuery(trpc.bots.get.queryOptions({ botId }));
  const flows = useQuery(trpc.flows.list.queryOptions({ botId }));
  const triggers = useQuery(trpc.triggers.list.queryOptions({ botId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.triggers.list.queryKey({ botId }) });
  const [secret, setSecret] = useState<string | null>(null);
  const [firing, setFiring] = useState<string | null>(null);
  const form = useZodForm(triggerForm, {
    mode: "onSubmit",
    defaultValues: { name: "", channel: "api", flowId: "", mapping: "" },
  });
  const create = useMutation(
    trpc.triggers.create.mutationOptions({
      onSuccess: (created) => {
        form.reset();
        toast.success(`Trigger ${created.name} created.`);
        return refresh();
      },
      onError: (error) => applyServerErrorsAt(form, error, fieldOfPath),
    }),
  );
  const update = useMutation(trpc.triggers.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.triggers.remove.mutationOptions({ onSuccess: refresh }));
  const generate = useMutation(
    trpc.triggers.generateSecret.mutationOptions({ onSuccess: (result) => setSecret(result.secret) }),
  );
  return (
    <Page
      title="Triggers"
      description={
        <RadixLink asChild>
          <Link href={`/bots/${botId}`}>← {bot.data?.name ?? "Bot"}</Link>
        </RadixLink>
      }
    >
      <BotTabs botId={botId} active="settings" />
      <Text as="p" size="2" color="gray" mb="4">
        A trigger starts a conversation from your systems (an order shipped, an appointment tomorrow):{" "}
        <Code>POST /api/v1/bots/{botId}/triggers/&lt;name&gt;</Code> with a secret key holding
        conversations:write, or signed with the trigger secret (
        <Code>Parley-Trigger-Signature: t=&lt;unix&gt;,v1=&lt;HMAC-SHA256 of "t.body"&gt;</Code>). The body
        names the contact (<Code>contactId</Code> or <Code>user</Code>) and carries <Code>data</Code> for the
        variable mapping.
      </Text>
      <FormError error={triggers.error ?? update.error ?? remove.error} />
      {triggers.data && triggers.data.length > 0 && (
        <Table.Root variant="surface">
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeaderCell>Name</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Channel</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Flow</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Variables</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>URL</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Enabled</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {triggers.data?.map((trigger) => (
              <Table.Row key={trigger.id} data-testid={`trigger-${trigger.name}`}>
                <Table.Cell>
                  <Code>{trigger.name}</Code>
                </Table.Cell>
                <Table.Cell>{trigger.channel}</Table.Cell>
                <Table.Cell>
                  {flows.data?.find((flow) => flow.id === trigger.flowId)?.name ?? "entry flow"}
                </Table.Cell>
                <Table.Cell>
                  {Object.entries(trigger.variables).map(([variable, expression]) => (
                    <div key={variable}>
                      <Code variant="ghost">
                        {variable} = {expression}
                      </Code>
                    </div>
                  ))}
                </Table.Cell>
                <Table.Cell>
                  <code data-testid={`trigger-url-${trigger.name}`}>POST {trigger.url}</code>
                </Table.Cell>
                <Table.Cell>
                  <Switch
                    aria-label={`Enable ${trigger.name}`}
                    checked={trigger.enabled}
                    disabled={update.isPending}
                    onCheckedChange={(enabled) =>
                      update.mutate({ botId, name: trigger.name, change: { enabled } })
                    }
                  />
                </Table.Cell>
                <Table.Cell>
                  <Flex gap="2">
                    <Button
                      size="1"
                      variant="soft"
                      color="gray"
                      type="button"
                      onClick={() => setFiring(trigger.name)}
                    >
                      Fire…
                    </Button>
                    <ConfirmButton
                      title={`Delete ${trigger.name}?`}
                      description="Requests to its URL will be refused."
                      confirmLabel="Delete trigger"
                      onConfirm={() => remove.mutateAsync({ botId, name: trigger.name })}
                    >
                      Delete
                    </ConfirmButton>
                  </Flex>
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table.Root>
      )}
      {triggers.data?.length === 0 && (
        <Box mt="3">
          <EmptyState title="No triggers yet">
            Create one below; your systems then POST to its URL.
          </EmptyState>
        </Box>
      )}
      {firing && <FireTrigger key={firing} botId={botId} name={firing} onClose={() => setFiring(null)} />}
      <Card size="3" my="4" asChild>
        <form
          aria-label="New trigger"
          noValidate
          onSubmit={form.handleSubmit((values) =>
            create.mutate({
              botId,
              trigger: {
                name: values.name,
                channel: values.channel,
                ...(values.flowId ? { flowId: values.flowId } : {}),
                variables: values.mapping,
              },
            }),
          )}
        >
          <Heading as="h2" size="4">
            New trigger
          </Heading>
          <Grid columns={{ initial: "1", sm: "3" }} gapX="4">
            <TextFormField
              form={form}
              name="name"
              id="trigger-name"
              label="Name"
              help="lower-case, e.g. order-shipped"
            />
            <SelectFormField
              form={form}
              name="channel"
              id="trigger-channel"
              label="Channel"
              options={createTriggerInputSchema.shape.channel.unwrap().options}
            />
            <SelectFormField
              form={form}
              name="flowId"
              id="trigger-flow"
              label="Flow"
              options={[
                { value: "", label: "The bot's entry flow" },
                ...(flows.data ?? []).map((flow) => ({ value: flow.id, label: flow.name })),
              ]}
            />
          </Grid>
          <TextAreaFormField
            form={form}
            name="mapping"
            id="trigger-mapping"
            label="Variables (one per line: variable = JSONata over the body)"
            rows={3}
            placeholder={"orderId = data.order.id\ncarrier = data.order.carrier"}
            style={{ fontFamily: "var(--code-font-family)" }}
          />
          <FormProblems
            error={create.error}
            shown={Object.keys(issuesOf(create.error)).filter((path) => fieldOfPath(path) !== undefined)}
          />
          <Flex mt="4">
            <Button type="submit" disabled={create.isPending}>
              {create.isPending ? "Creating…" : "Create trigger"}
            </Button>
          </Flex>
        </form>
      </Card>
      <Card size="3">
        <Heading as="h2" size="4">
          Trigger secret
        </Heading>
        <Text as="p" size="2" color="gray" my="2">
          Lets your server sign trigger requests instead of sending a secret key.
        </Text>
        {secret && (
          <Callout.Root role="status" my="3">
            <Box>
              <Text weight="bold">Copy this secret now: it will not be shown again.</Text>
              <pre data-testid="trigger-secret">{secret}</pre>
            </Box>
          </Callout.Root>
        )}
        <FormError error={generate.error} />
        <Button
          variant="soft"
          color="gray"
          type="button"
          onClick={() => generate.mutate({ botId })}
          disabled={generate.isPending}
        >
          Generate or rotate the secret
        </Button>
      </Card>
    </Page>
  );
}

/** A bot's triggers: proactive conversations started by your systems. */
export default function TriggersPage() {
  return (
    <Shell>
      <Triggers />
    </Shell>
  );
}
