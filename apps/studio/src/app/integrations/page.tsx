"use client";

import type { IntegrationView } from "@parley/contract";
import { Button, Table } from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../../components/form-error";
import { Shell } from "../../components/shell";
import { ConfirmButton } from "../../components/ui/confirm-dialog";
import { ConnectButton, IntegrationTestForm, IntegrationUsagePanel } from "./integration-details";
import { IntegrationForm } from "./integration-form";

const STATUS_TEXT: Record<string, string> = {
  connected: "connected",
  "not-connected": "not connected",
  "reconnect-needed": "reconnect needed",
  "token-refresh-failed": "token refresh failed",
};

function CredentialsSummary({ integration }: { integration: IntegrationView }) {
  const credentials = integration.credentials;
  if (!credentials) return <span className="muted">none</span>;
  return (
    <span>
      <code>{credentials.type}</code>{" "}
      {Object.entries(credentials.fields)
        .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(" ") : value}`)
        .join(", ")}
      {credentials.status && (
        <span
          className={`badge${credentials.status === "connected" ? "" : " danger"}`}
          title={credentials.statusDetail}
        >
          {STATUS_TEXT[credentials.status]}
        </span>
      )}
    </span>
  );
}

function Integrations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.integrations.list.queryOptions());
  // The wire type (tRPC infers `body?: unknown` for the mock body, the contract `body: unknown`).
  const integrations = list.data as IntegrationView[] | undefined;
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.integrations.list.queryKey() });
  const remove = useMutation(trpc.integrations.delete.mutationOptions({ onSuccess: refresh }));
  return (
    <main className="shell-main">
      <h1>Integrations</h1>
      <p className="row">
        <Button type="button" onClick={() => setCreating(!creating)}>
          New integration
        </Button>
        <Link href="/integrations/catalogue">Add from catalogue</Link>
      </p>
      {creating && (
        <IntegrationForm
          onDone={(created) => {
            setCreating(false);
            setOpen(created.id);
            void refresh();
          }}
        />
      )}
      <FormError error={list.error ?? remove.error} />
      <Table.Root variant="surface" style={{ marginTop: 16 }}>
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeaderCell>Name</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Base URL</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Credentials</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Breaker</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell />
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {integrations?.map((integration) => (
            <Table.Row key={integration.id} data-testid={`integration-${integration.name}`}>
              <Table.Cell>
                <button
                  type="button"
                  className="link"
                  onClick={() => setOpen(open === integration.id ? null : integration.id)}
                >
                  {integration.name}
                </button>
              </Table.Cell>
              <Table.Cell>
                <code>{integration.config.baseUrl}</code>
              </Table.Cell>
              <Table.Cell>
                <CredentialsSummary integration={integration} />
              </Table.Cell>
              <Table.Cell data-testid={`breaker-${integration.name}`}>
                {integration.breaker ?? "closed"}
              </Table.Cell>
              <Table.Cell className="row">
                <ConnectButton integration={integration} />
                <Button
                  size="1"
                  variant="soft"
                  color="gray"
                  type="button"
                  onClick={() => setEditing(editing === integration.id ? null : integration.id)}
                >
                  Edit
                </Button>
                <ConfirmButton
                  title={`Delete ${integration.name}?`}
                  description="http nodes using it will take their error branch."
                  confirmLabel="Delete integration"
                  onConfirm={() => remove.mutateAsync({ integrationId: integration.id })}
                >
                  Delete
                </ConfirmButton>
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
      {integrations?.length === 0 && <p className="muted">No integrations yet.</p>}
      {integrations
        ?.filter((integration) => integration.id === editing)
        .map((integration) => (
          <IntegrationForm
            key={`edit-${integration.id}`}
            existing={integration}
            onDone={() => {
              setEditing(null);
              void refresh();
            }}
          />
        ))}
      {integrations
        ?.filter((integration) => integration.id === open)
        .map((integration) => (
          <section key={`open-${integration.id}`} aria-label={`${integration.name} details`}>
            <h2>{integration.name}</h2>
            <IntegrationTestForm integrationId={integration.id} />
            <IntegrationUsagePanel integration={integration} />
          </section>
        ))}
    </main>
  );
}

/** Integrations: credentials (hints only), OAuth2 connection, the sandbox, usage and breaker state. */
export default function IntegrationsPage() {
  return (
    <Shell>
      <Integrations />
    </Shell>
  );
}
