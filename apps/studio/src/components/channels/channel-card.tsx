"use client";

import { type ChannelView, channelTestMessageInputSchema } from "@parley/contract";
import { Badge, Box, Button, Card, DataList, Flex, Heading, Text, TextField } from "@radix-ui/themes";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { describeError, useTRPC } from "../../client/trpc";
import { issuesOf, ProblemCallout } from "../field";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { applyServerErrors, TextFormField, useZodForm } from "../ui/form-field";
import { toneColor } from "../ui/page";
import { CopyButton } from "./copy-button";
import { platformGuides } from "./platform-fields";
import { WhatsAppTemplateForm } from "./whatsapp-template-form";

const STATUS_BADGE = { active: "ok", error: "danger", disabled: "muted" } as const;

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "never");

/** The test message form: the contract's recipient. */
const testMessageForm = z.object({ to: channelTestMessageInputSchema.shape.to });

/** "Send a test message": a recipient, the platform's answer inline. */
function TestMessage({ channel }: { channel: ChannelView }) {
  const trpc = useTRPC();
  const form = useZodForm(testMessageForm, { mode: "onSubmit", defaultValues: { to: "" } });
  const send = useMutation(
    trpc.channels.testMessage.mutationOptions({
      onError: (error) => {
        const rest = applyServerErrors(form, error, ["to"]);
        // A refusal of the platform is about the recipient too: shown under it.
        if (Object.keys(issuesOf(error)).length === 0 || Object.keys(rest).length > 0)
          form.setError("to", { message: describeError(error).message });
      },
    }),
  );
  const recipient =
    platformGuides.find((guide) => guide.type === channel.type)?.testRecipient ?? "a recipient id";
  return (
    <form
      aria-label={`Send a test message through ${channel.name}`}
      noValidate
      onSubmit={form.handleSubmit((values) => send.mutate({ channelId: channel.id, to: values.to }))}
    >
      <Flex gap="3" align="start" wrap="wrap">
        <Box flexGrow="1" style={{ maxWidth: 420 }}>
          <TextFormField
            form={form}
            name="to"
            id={`test-to-${channel.id}`}
            label="Send a test message to"
            help={`To ${recipient}.`}
          />
        </Box>
        {/* Level with the input (under the field's top margin and label). */}
        <Box style={{ marginTop: 36 }}>
          <Button variant="soft" color="gray" type="submit" disabled={send.isPending}>
            {send.isPending ? "Sending…" : "Send test message"}
          </Button>
        </Box>
      </Flex>
      {send.data && (
        <Text
          as="p"
          size="2"
          role="status"
          color={send.data.delivered ? "gray" : "red"}
          data-testid="test-message-result"
        >
          {send.data.delivered ? "Delivered." : `Not delivered: ${send.data.error}`}
        </Text>
      )}
    </form>
  );
}

/** One connected channel: its webhook URL to copy, live status, test message, enable/disable, delete. */
export function ChannelCard({
  channel,
  onChanged,
}: {
  channel: ChannelView;
  onChanged: () => Promise<unknown>;
}) {
  const trpc = useTRPC();
  const update = useMutation(trpc.channels.update.mutationOptions());
  const remove = useMutation(trpc.channels.delete.mutationOptions());
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const failure = update.error ?? remove.error;
  return (
    <Card size="3" mb="4" asChild>
      <article aria-label={`Channel ${channel.name}`} data-testid={`channel-${channel.type}`}>
        <Flex justify="between" align="center" gap="3" wrap="wrap">
          <Heading as="h3" size="4">
            {channel.name}{" "}
            <Text color="gray" weight="regular">
              ({channel.type})
            </Text>{" "}
            <Badge color={toneColor(STATUS_BADGE[channel.status])} data-testid="channel-status">
              {channel.status}
            </Badge>
          </Heading>
          <Flex gap="2">
            <Button
              size="1"
              variant="soft"
              color="gray"
              type="button"
              disabled={update.isPending}
              onClick={async () => {
                await update
                  .mutateAsync({ channelId: channel.id, enabled: !channel.enabled })
                  .catch(() => undefined);
                await onChanged();
              }}
            >
              {channel.enabled ? "Disable" : "Enable"}
            </Button>
            <Button
              size="1"
              variant="soft"
              color="red"
              type="button"
              disabled={remove.isPending}
              onClick={() => setConfirmingDelete(true)}
            >
              Delete
            </Button>
          </Flex>
        </Flex>
        {failure && <ProblemCallout>{describeError(failure).message}</ProblemCallout>}
        <Flex direction="column" gap="1" mt="3">
          <Text as="label" htmlFor={`webhook-${channel.id}`} size="2" weight="medium">
            Webhook URL
          </Text>
          <Flex gap="2" align="center">
            <TextField.Root
              id={`webhook-${channel.id}`}
              readOnly
              value={channel.webhookUrl}
              data-testid="webhook-url"
              aria-describedby={`webhook-${channel.id}-help`}
              style={{ fontFamily: "var(--code-font-family)", flexGrow: 1 }}
            />
            <CopyButton text={channel.webhookUrl} label="Copy webhook URL" />
          </Flex>
          <Text size="1" color="gray" id={`webhook-${channel.id}-help`}>
            Give this URL to the platform (events, interactivity and verification).
          </Text>
        </Flex>
        <DataList.Root my="3" size="2">
          <DataList.Item>
            <DataList.Label>Last inbound</DataList.Label>
            <DataList.Value data-testid="last-inbound">{when(channel.lastInboundAt)}</DataList.Value>
          </DataList.Item>
          <DataList.Item>
            <DataList.Label>Last outbound</DataList.Label>
            <DataList.Value data-testid="last-outbound">{when(channel.lastOutboundAt)}</DataList.Value>
          </DataList.Item>
          <DataList.Item>
            <DataList.Label>Last error</DataList.Label>
            <DataList.Value data-testid="last-error">
              <Text color={channel.lastError ? "red" : "gray"}>
                {channel.lastError ? `${channel.lastError} (${when(channel.lastErrorAt)})` : "none"}
              </Text>
            </DataList.Value>
          </DataList.Item>
        </DataList.Root>
        <TestMessage channel={channel} />
        {channel.type === "whatsapp" && <WhatsAppTemplateForm channel={channel} />}
        <ConfirmDialog
          open={confirmingDelete}
          title={`Delete ${channel.name}?`}
          confirmLabel="Delete channel"
          busyLabel="Deleting…"
          danger
          busy={remove.isPending}
          onClose={() => setConfirmingDelete(false)}
          onConfirm={async () => {
            await remove.mutateAsync({ channelId: channel.id }).catch(() => undefined);
            setConfirmingDelete(false);
            await onChanged();
          }}
        >
          <p>
            The {channel.type} platform's messages will no longer reach the bot, and its stored credentials
            are erased. Conversations already held stay in the inbox.
          </p>
        </ConfirmDialog>
      </article>
    </Card>
  );
}
