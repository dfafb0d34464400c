"use client";

import type { ConnectorView } from "@parley/contract";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../../client/trpc";
import { ConnectorCard } from "../../../components/connectors/connector-card";
import { CreateFromConnector } from "../../../components/connectors/create-from-connector";
import { FormError } from "../../../components/form-error";
import { Shell } from "../../../components/shell";

function Catalogue() {
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const connectors = useQuery(
    trpc.connectors.list.queryOptions(search.trim() ? { search: search.trim() } : {}),
  );
  const [using, setUsing] = useState<ConnectorView | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  return (
    <main className="shell-main">
      <h1>Connector catalogue</h1>
      <p className="muted">
        Ready-made connectors: create an integration from one, then pick its operations in an http node
        instead of writing HTTP.
      </p>
      {created && (
        <div className="banner" role="status">
          Integration “{created}” created. Use it in an http node: choose it as the integration and pick an
          operation.
        </div>
      )}
      <label htmlFor="connector-search">Search</label>
      <input
        id="connector-search"
        type="search"
        placeholder="e.g. ticket, sms, HubSpot"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
      />
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
      {connectors.data?.length === 0 && <p className="muted">No connector matches “{search}”.</p>}
      <div
        className="gallery"
        style={{ display: "grid", gap: 12, gridTemplateColumns: "repeat(auto-fill, minmax(320px, 1fr))" }}
      >
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
      </div>
    </main>
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
