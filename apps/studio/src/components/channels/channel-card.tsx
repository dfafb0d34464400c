"use client";

import type { ChannelView } from "@parley/contract";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { describeError, useTRPC } from "../../client/trpc";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { Field, invalidProps, issuesOf } from "../field";
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
      className="inline-form"
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
      <button type="submit" className="small" disabled={send.isPending || to.trim() === ""}>
        {send.isPending ? "Sending…" : "Send test message"}
      </button>
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
          <span className={`badge ${STATUS_BADGE[channel.status]}`} data-testid="channel-status">
            {channel.status}
          </span>
        </h3>
        <div className="actions">
          <button
            type="button"
            className="small"
            disabled={update.isPending}
            onClick={async () => {
              await update
                .mutateAsync({ channelId: channel.id, enabled: !channel.enabled })
                .catch(() => undefined);
              await onChanged();
            }}
          >
            {channel.enabled ? "Disable" : "Enable"}
          </button>
          <button
            type="button"
            className="small danger"
            disabled={remove.isPending}
            onClick={() => setConfirmingDelete(true)}
          >
            Delete
          </button>
        </div>
      </div>
      {failure && (
        <div className="banner error" role="alert">
          {describeError(failure).message}
        </div>
      )}
      <Field
        id={`webhook-${channel.id}`}
        label="Webhook URL"
        hint="Give this URL to the platform (events, interactivity and verification)."
      >
        <div className="copy-row">
          <input id={`webhook-${channel.id}`} readOnly value={channel.webhookUrl} data-testid="webhook-url" />
          <CopyButton text={channel.webhookUrl} label="Copy webhook URL" />
        </div>
      </Field>
      <dl className="status-list">
        <dt>Last inbound</dt>
        <dd data-testid="last-inbound">{when(channel.lastInboundAt)}</dd>
        <dt>Last outbound</dt>
        <dd data-testid="last-outbound">{when(channel.lastOutboundAt)}</dd>
        <dt>Last error</dt>
        <dd data-testid="last-error" className={channel.lastError ? "error" : "muted"}>
          {channel.lastError ? `${channel.lastError} (${when(channel.lastErrorAt)})` : "none"}
        </dd>
      </dl>
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
