"use client";

import type { ConnectorView } from "@parley/contract";
import { Callout, Flex, Grid, Text, TextField } from "@radix-ui/themes";
import { useQuery } from "@tanstack/react-query";
import { Search } from "lucide-react";
import { useState } from "react";
import { useTRPC } from "../../../client/trpc";
import { ConnectorCard } from "../../../components/connectors/connector-card";
import { CreateFromConnector } from "../../../components/connectors/create-from-connector";
import { FormError } from "../../../components/form-error";
import { Shell } from "../../../components/shell";
import { EmptyState, Page } from "../../../components/ui/page";

function Catalogue() {
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const connectors = useQuery(
    trpc.connectors.list.queryOptions(search.trim() ? { search: search.trim() } : {}),
  );
  const [using, setUsing] = useState<ConnectorView | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  return (
    <Page
      title="Connector catalogue"
      description="Ready-made connectors: create an integration from one, then pick its operations in an http node instead of writing HTTP."
    >
      {created && (
        <Callout.Root role="status" mb="4" color="green">
          <Callout.Text>
            Integration “{created}” created. Use it in an http node: choose it as the integration and pick an
            operation.
          </Callout.Text>
        </Callout.Root>
      )}
      <Flex direction="column" gap="1" mb="4" style={{ maxWidth: 420 }}>
        <Text as="label" htmlFor="connector-search" size="2" weight="medium">
          Search
        </Text>
        <TextField.Root
          id="connector-search"
          type="search"
          placeholder="e.g. ticket, sms, HubSpot"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        >
          <TextField.Slot>
            <Search size={14} aria-hidden />
          </TextField.Slot>
        </TextField.Root>
      </Flex>
      {using && (
        <CreateFromConnector
          key={using.id}
          connector={using}
          onCancel={() => setUsing(null)}
          onCreated={(name) => {
            setUsing(null);
            setCreated(name);
          }}
        />
      )}
      <FormError error={connectors.error} />
      {connectors.data?.length === 0 && (
        <EmptyState title={`No connector matches “${search}”`}>
          Try another word, or a vendor's name.
        </EmptyState>
      )}
      <Grid gap="3" mt="4" columns="repeat(auto-fill, minmax(320px, 1fr))">
        {connectors.data?.map((connector) => (
          <ConnectorCard
            key={connector.id}
            connector={connector}
            onUse={() => {
              setCreated(null);
              setUsing(connector);
            }}
          />
        ))}
      </Grid>
    </Page>
  );
}

/** The connector gallery: search, auth badges, operations with docs, and "Use" to create an integration. */
export default function CataloguePage() {
  return (
    <Shell>
      <Catalogue />
    </Shell>
  );
}
