"use client";

import type { ChannelView } from "@parley/contract";
import { Badge, Button, DataList, Flex, Text } from "@radix-ui/themes";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { describeError, useTRPC } from "../../client/trpc";
import { Field, invalidProps, issuesOf, ProblemCallout } from "../field";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { toneColor } from "../ui/page";
import { CopyButton } from "./copy-button";
import { platformGuides } from "./platform-fields";
import { WhatsAppTemplateForm } from "./whatsapp-template-form";

const STATUS_BADGE = { active: "ok", error: "danger", disabled: "muted" } as const;

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "never");

/** "Send a test message": a recipient, the platform's answer inline. */
function TestMessage({ channel }: { channel: ChannelView }) {
  const trpc = useTRPC();
  const [to, setTo] = useState("");
  const send = useMutation(trpc.channels.testMessage.mutationOptions());
  const id = `test-to-${channel.id}`;
  const recipient =
    platformGuides.find((guide) => guide.type === channel.type)?.testRecipient ?? "a recipient id";
  const error = issuesOf(send.error).to ?? (send.error ? describeError(send.error).message : undefined);
  return (
    <form
      style={{ display: "flex", flexWrap: "wrap", gap: "var(--space-2)", alignItems: "flex-end" }}
      aria-label={`Send a test message through ${channel.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        send.mutate({ channelId: channel.id, to });
      }}
    >
      <Field id={id} label="Send a test message to" error={error} hint={`To ${recipient}.`}>
        <input
          id={id}
          value={to}
          onChange={(event) => setTo(event.target.value)}
          {...invalidProps(id, error)}
        />
      </Field>
      <Button
        size="1"
        variant="soft"
        color="gray"
        type="submit"
        disabled={send.isPending || to.trim() === ""}
      >
        {send.isPending ? "Sending…" : "Send test message"}
      </Button>
      {send.data && (
        <p
          role="status"
          className={send.data.delivered ? "muted" : "field-error"}
          data-testid="test-message-result"
        >
          {send.data.delivered ? "Delivered." : `Not delivered: ${send.data.error}`}
        </p>
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
    <article
      className="section"
      aria-label={`Channel ${channel.name}`}
      data-testid={`channel-${channel.type}`}
    >
      <div className="section-head">
        <h3>
          {channel.name} <span className="muted">({channel.type})</span>{" "}
          <Badge color={toneColor(STATUS_BADGE[channel.status])} data-testid="channel-status">
            {channel.status}
          </Badge>
        </h3>
        <div className="actions">
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
        </div>
      </div>
      {failure && <ProblemCallout>{describeError(failure).message}</ProblemCallout>}
      <Field
        id={`webhook-${channel.id}`}
        label="Webhook URL"
        hint="Give this URL to the platform (events, interactivity and verification)."
      >
        <Flex gap="2" align="center">
          <input
            id={`webhook-${channel.id}`}
            readOnly
            value={channel.webhookUrl}
            data-testid="webhook-url"
            style={{ fontFamily: "var(--code-font-family)" }}
          />
          <CopyButton text={channel.webhookUrl} label="Copy webhook URL" />
        </Flex>
      </Field>
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
          The {channel.type} platform's messages will no longer reach the bot, and its stored credentials are
          erased. Conversations already held stay in the inbox.
        </p>
      </ConfirmDialog>
    </article>
  );
}
