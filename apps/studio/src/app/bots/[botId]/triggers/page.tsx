"use client";
import { Button, Table } from "@radix-ui/themes";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "../../../../client/trpc";
import { BotTabs } from "../../../../components/bot-tabs";
import { InputField, invalidProps, issuesOf } from "../../../../components/field";
import { FormError } from "../../../../components/form-error";
import { Shell } from "../../../../components/shell";
import { SimpleSelect } from "../../../../components/ui/simple-select";
import { FireTrigger } from "./fire-trigger";

const CHANNELS = ["api", "web", "whatsapp", "messenger", "slack", "teams", "telegram"] as const;

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

function Triggers() {
  const { botId } = useParams<{ botId: string }>();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const bot = useQuery(trpc.bots.get.queryOptions({ botId }));
  const flows = useQuery(trpc.flows.list.queryOptions({ botId }));
  const triggers = useQuery(trpc.triggers.list.queryOptions({ botId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.triggers.list.queryKey({ botId }) });
  const [name, setName] = useState("");
  const [channel, setChannel] = useState<(typeof CHANNELS)[number]>("api");
  const [flowId, setFlowId] = useState("");
  const [mapping, setMapping] = useState("");
  const [secret, setSecret] = useState<string | null>(null);
  const [firing, setFiring] = useState<string | null>(null);
  const create = useMutation(
    trpc.triggers.create.mutationOptions({
      onSuccess: () => {
        setName("");
        setMapping("");
        return refresh();
      },
    }),
  );
  const update = useMutation(trpc.triggers.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.triggers.remove.mutationOptions({ onSuccess: refresh }));
  const generate = useMutation(
    trpc.triggers.generateSecret.mutationOptions({ onSuccess: (result) => setSecret(result.secret) }),
  );
  // Input checks report "trigger.<field>", the service "<field>": the same field either way.
  const errors = Object.fromEntries(
    Object.entries(issuesOf(create.error)).map(([path, message]) => [
      `trigger.${path.replace(/^trigger\./, "")}`,
      message,
    ]),
  );
  const mappingError = Object.entries(errors).find(([path]) => path.startsWith("trigger.variables"))?.[1];
  return (
    <main className="shell-main">
      <p>
        <Link href={`/bots/${botId}`}>← {bot.data?.name ?? "Bot"}</Link>
      </p>
      <h1>Triggers</h1>
      <BotTabs botId={botId} active="settings" />
      <p className="muted">
        A trigger starts a conversation from your systems (an order shipped, an appointment tomorrow):{" "}
        <code>POST /api/v1/bots/{botId}/triggers/&lt;name&gt;</code> with a secret key holding
        conversations:write, or signed with the trigger secret (
        <code>Parley-Trigger-Signature: t=&lt;unix&gt;,v1=&lt;HMAC-SHA256 of "t.body"&gt;</code>). The body
        names the contact (<code>contactId</code> or <code>user</code>) and carries <code>data</code> for the
        variable mapping.
      </p>
      <FormError error={triggers.error ?? update.error ?? remove.error} />
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
                <code>{trigger.name}</code>
              </Table.Cell>
              <Table.Cell>{trigger.channel}</Table.Cell>
              <Table.Cell>
                {flows.data?.find((flow) => flow.id === trigger.flowId)?.name ?? "entry flow"}
              </Table.Cell>
              <Table.Cell>
                {Object.entries(trigger.variables).map(([variable, expression]) => (
                  <div key={variable}>
                    <code>
                      {variable} = {expression}
                    </code>
                  </div>
                ))}
              </Table.Cell>
              <Table.Cell>
                <code data-testid={`trigger-url-${trigger.name}`}>POST {trigger.url}</code>
              </Table.Cell>
              <Table.Cell>
                <input
                  type="checkbox"
                  aria-label={`Enable ${trigger.name}`}
                  checked={trigger.enabled}
                  onChange={(event) =>
                    update.mutate({ botId, name: trigger.name, change: { enabled: event.target.checked } })
                  }
                />
              </Table.Cell>
              <Table.Cell>
                <Button variant="soft" color="gray" type="button" onClick={() => setFiring(trigger.name)}>
                  Fire…
                </Button>{" "}
                <Button
                  variant="soft"
                  color="gray"
                  type="button"
                  onClick={() => remove.mutate({ botId, name: trigger.name })}
                >
                  Delete
                </Button>
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
      {triggers.data?.length === 0 && <p className="muted">No triggers yet.</p>}
      {firing && <FireTrigger key={firing} botId={botId} name={firing} onClose={() => setFiring(null)} />}
      <form
        className="card"
        aria-label="New trigger"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate({
            botId,
            trigger: { name, channel, ...(flowId ? { flowId } : {}), variables: mappingOf(mapping) },
          });
        }}
      >
        <h2 style={{ marginTop: 0 }}>New trigger</h2>
        <InputField
          id="trigger-name"
          label="Name"
          hint="lower-case, e.g. order-shipped"
          error={errors["trigger.name"]}
          value={name}
          onChange={(event) => setName(event.target.value)}
          required
        />
        <label htmlFor="trigger-channel">Channel</label>
        <SimpleSelect
          id="trigger-channel"
          value={channel}
          onValueChange={(value) => setChannel(value as (typeof CHANNELS)[number])}
          options={CHANNELS}
        />
        <label htmlFor="trigger-flow">Flow</label>
        <SimpleSelect
          id="trigger-flow"
          value={flowId}
          onValueChange={setFlowId}
          options={[
            { value: "", label: "The bot's entry flow" },
            ...(flows.data ?? []).map((flow) => ({ value: flow.id, label: flow.name })),
          ]}
          {...invalidProps("trigger-flow", errors["trigger.flowId"])}
        />
        {errors["trigger.flowId"] && (
          <div className="field-error" id="trigger-flow-error" role="alert">
            {errors["trigger.flowId"]}
          </div>
        )}
        <label htmlFor="trigger-mapping">Variables (one per line: variable = JSONata over the body)</label>
        <textarea
          id="trigger-mapping"
          rows={3}
          placeholder={"orderId = data.order.id\ncarrier = data.order.carrier"}
          value={mapping}
          onChange={(event) => setMapping(event.target.value)}
          {...invalidProps("trigger-mapping", mappingError)}
        />
        {mappingError && (
          <div className="field-error" id="trigger-mapping-error" role="alert">
            {mappingError}
          </div>
        )}
        <FormError error={Object.keys(errors).length > 0 ? null : create.error} />
        <p>
          <Button type="submit" disabled={create.isPending}>
            Create trigger
          </Button>
        </p>
      </form>
      <section className="card">
        <h2 style={{ marginTop: 0 }}>Trigger secret</h2>
        <p className="muted">Lets your server sign trigger requests instead of sending a secret key.</p>
        {secret && (
          <div className="banner" role="status">
            <b>Copy this secret now: it will not be shown again.</b>
            <pre data-testid="trigger-secret">{secret}</pre>
          </div>
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
      </section>
    </main>
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
