"use client";

import type { IntegrationView } from "@parley/contract";
import { Badge, Box, Button, Code, Flex, Heading, Link as RadixLink, Table, Text } from "@radix-ui/themes";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../../components/form-error";
import { Shell } from "../../components/shell";
import { ConfirmButton } from "../../components/ui/confirm-dialog";
import { EmptyState, Page, TableSkeleton } from "../../components/ui/page";
import { toast } from "../../components/ui/toast";
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
  if (!credentials) return <Text color="gray">none</Text>;
  return (
    <span>
      <Code>{credentials.type}</Code>{" "}
      {Object.entries(credentials.fields)
        .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(" ") : value}`)
        .join(", ")}
      {credentials.status && (
        <Badge
          ml="2"
          color={credentials.status === "connected" ? "green" : "red"}
          title={credentials.statusDetail}
        >
          {STATUS_TEXT[credentials.status]}
        </Badge>
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
    <Page
      title="Integrations"
      description="The APIs your flows call: credentials (stored encrypted, shown as hints), resilience, a sandbox and usage."
      actions={
        <Flex gap="3" align="center">
          <RadixLink asChild size="2">
            <Link href="/integrations/catalogue">Add from catalogue</Link>
          </RadixLink>
          <Button type="button" onClick={() => setCreating(!creating)}>
            New integration
          </Button>
        </Flex>
      }
    >
      {creating && (
        <IntegrationForm
          onCancel={() => setCreating(false)}
          onDone={(created) => {
            setCreating(false);
            setOpen(created.id);
            toast.success("Integration created.");
            void refresh();
          }}
        />
      )}
      <FormError error={list.error ?? remove.error} />
      {!integrations && !list.error && <TableSkeleton columns={5} />}
      {integrations?.length === 0 && (
        <EmptyState title="No integrations yet">
          Create one to call an API from an http node, or start from a ready-made connector.
        </EmptyState>
      )}
      {integrations && integrations.length > 0 && (
        <Table.Root variant="surface">
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
                  <RadixLink asChild>
                    <button
                      type="button"
                      aria-expanded={open === integration.id}
                      style={{ background: "none", border: 0, padding: 0, cursor: "pointer" }}
                      onClick={() => setOpen(open === integration.id ? null : integration.id)}
                    >
                      {integration.name}
                    </button>
                  </RadixLink>
                </Table.Cell>
                <Table.Cell>
                  <Code variant="ghost">{integration.config.baseUrl}</Code>
                </Table.Cell>
                <Table.Cell>
                  <CredentialsSummary integration={integration} />
                </Table.Cell>
                <Table.Cell data-testid={`breaker-${integration.name}`}>
                  {integration.breaker ?? "closed"}
                </Table.Cell>
                <Table.Cell>
                  <Flex gap="2" align="center" wrap="wrap">
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
                  </Flex>
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table.Root>
      )}
      {integrations
        ?.filter((integration) => integration.id === editing)
        .map((integration) => (
          <IntegrationForm
            key={`edit-${integration.id}`}
            existing={integration}
            onCancel={() => setEditing(null)}
            onDone={() => {
              setEditing(null);
              toast.success(`${integration.name} saved.`);
              void refresh();
            }}
          />
        ))}
      {integrations
        ?.filter((integration) => integration.id === open)
        .map((integration) => (
          <Box asChild mt="5" key={`open-${integration.id}`}>
            <section aria-label={`${integration.name} details`}>
              <Heading as="h2" size="5">
                {integration.name}
              </Heading>
              <IntegrationTestForm integrationId={integration.id} />
              <IntegrationUsagePanel integration={integration} />
            </section>
          </Box>
        ))}
    </Page>
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
