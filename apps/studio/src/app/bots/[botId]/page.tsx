"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useState } from "react";
import { useCan } from "../../../client/session";
import { useTRPC } from "../../../client/trpc";
import { BotTabs } from "../../../components/bot-tabs";
import { FormProblems, invalidProps, issuesOf } from "../../../components/field";
import { FormError } from "../../../components/form-error";
import { OfflineModelWarning } from "../../../components/offline-model-warning";
import { Shell } from "../../../components/shell";

function NewFlowForm({ botId }: { botId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const templates = useQuery(trpc.flows.templates.queryOptions());
  const [name, setName] = useState("");
  const [source, setSource] = useState("empty");
  const [importText, setImportText] = useState<string | null>(null);
  const [parseError, setParseError] = useState<string | null>(null);
  const create = useMutation(
    trpc.flows.create.mutationOptions({
      onSuccess: (flow) => router.push(`/bots/${botId}/flows/${flow.id}`),
    }),
  );
  const serverErrors = issuesOf(create.error);
  const nameError = serverErrors.name;
  // An imported document's problems (its paths are inside the document) belong to the file field.
  const fileError =
    parseError ??
    (source === "import" && create.error
      ? Object.entries(serverErrors)
          .filter(([path]) => path !== "name")
          .map(([path, message]) => `${path}: ${message}`)
          .join("; ") || undefined
      : undefined);
  return (
    <form
      className="card"
      onSubmit={(event) => {
        event.preventDefault();
        setParseError(null);
        if (source === "import") {
          try {
            const document = JSON.parse(importText ?? "") as Record<string, unknown>;
            create.mutate({
              botId,
              name: name || String(document.name ?? "Imported flow"),
              source: { type: "import", document },
            });
          } catch {
            setParseError("The file is not valid JSON.");
          }
        } else if (source === "empty") create.mutate({ botId, name, source: { type: "empty" } });
        else create.mutate({ botId, name, source: { type: "template", templateId: source } });
      }}
    >
      <h3>New flow</h3>
      <div className="row wrap">
        <input
          id="new-flow-name"
          aria-label="Flow name"
          placeholder="Flow name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required={source !== "import"}
          style={{ maxWidth: 240 }}
          {...invalidProps("new-flow-name", nameError)}
        />
        <select
          aria-label="Start from"
          value={source}
          onChange={(e) => setSource(e.target.value)}
          style={{ maxWidth: 260 }}
        >
          <option value="empty">Empty canvas</option>
          {templates.data?.map((template) => (
            <option key={template.id} value={template.id}>
              Template: {template.name} ({template.nodeCount} nodes)
            </option>
          ))}
          <option value="import">Import a JSON file…</option>
        </select>
        {source === "import" && (
          <input
            id="new-flow-file"
            type="file"
            accept="application/json,.json"
            aria-label="Flow JSON file"
            {...invalidProps("new-flow-file", fileError)}
            onChange={async (e) => setImportText((await e.target.files?.[0]?.text()) ?? null)}
            style={{ maxWidth: 240 }}
          />
        )}
        <button className="primary" type="submit" disabled={create.isPending}>
          Create flow
        </button>
      </div>
      {nameError && (
        <div className="field-error" id="new-flow-name-error" role="alert">
          Name: {nameError}
        </div>
      )}
      {fileError && (
        <div className="field-error" id="new-flow-file-error" role="alert">
          {parseError ? fileError : `The file is not a valid flow: ${fileError}`}
        </div>
      )}
      {!fileError && <FormProblems error={create.error} shown={["name"]} />}
    </form>
  );
}

function BotDetail() {
  const { botId } = useParams<{ botId: string }>();
  const trpc = useTRPC();
  const bot = useQuery(trpc.bots.get.queryOptions({ botId }));
  const flows = useQuery(trpc.flows.list.queryOptions({ botId }));
  const canWrite = useCan("flows:write");
  const queryClient = useQueryClient();
  const makeEntry = useMutation(
    trpc.bots.update.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.bots.get.queryKey({ botId }) }),
    }),
  );
  return (
    <main className="shell-main">
      <p>
        <Link href="/bots">← Bots</Link>
      </p>
      <div className="row">
        <h1>{bot.data?.name ?? "…"}</h1>
      </div>
      <BotTabs botId={botId} active="flows" />
      <OfflineModelWarning botId={botId} when="live" />
      <FormError error={bot.error ?? flows.error ?? makeEntry.error} />
      {canWrite && <NewFlowForm botId={botId} />}
      <h2>Flows</h2>
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Status</th>
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {flows.data?.map((flow) => (
            <tr key={flow.id}>
              <td>
                <Link href={`/bots/${botId}/flows/${flow.id}`}>{flow.name}</Link>
                {bot.data?.entryFlowId === flow.id && (
                  <span className="badge" style={{ marginLeft: 6 }}>
                    entry
                  </span>
                )}
              </td>
              <td>
                {flow.publishedVersionId ? (
                  <span className="badge ok">published</span>
                ) : (
                  <span className="badge">draft only</span>
                )}
              </td>
              <td className="muted">{new Date(flow.updatedAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {flows.data?.length === 0 && <p className="muted">No flows yet.</p>}
    </main>
  );
}

/** A bot: its flows, and a form to create one. */
export default function BotPage() {
  return (
    <Shell>
      <BotDetail />
    </Shell>
  );
}
