"use client";

import type { ConnectorView } from "@parley/contract";
import { Badge, Button } from "@radix-ui/themes";

/** One connector in the gallery: name, auth badge, description and its operations with docs links. */
export function ConnectorCard({ connector, onUse }: { connector: ConnectorView; onUse: () => void }) {
  return (
    <article
      className="card"
      data-testid={`connector-${connector.id}`}
      aria-labelledby={`connector-${connector.id}-name`}
    >
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id={`connector-${connector.id}-name`} style={{ margin: 0, fontSize: "1.1rem" }}>
          {connector.name}
        </h2>
        <Badge color="gray" title="How it authenticates">
          {connector.auth.type}
          {connector.auth.optional ? " (optional)" : ""}
        </Badge>
      </div>
      <p className="muted">{connector.description}</p>
      <ul style={{ paddingLeft: 18 }}>
        {connector.operations.map((operation) => (
          <li key={operation.id}>
            <b>{operation.name}</b>{" "}
            <code className="muted">
              {operation.method} {operation.path}
            </code>{" "}
            <a href={operation.docsUrl} target="_blank" rel="noreferrer">
              docs
            </a>
            <div className="muted">{operation.description}</div>
          </li>
        ))}
      </ul>
      <p className="row">
        <Button type="button" onClick={onUse}>
          Use {connector.name}
        </Button>
        <a href={connector.docsUrl} target="_blank" rel="noreferrer">
          API documentation
        </a>
      </p>
    </article>
  );
}
