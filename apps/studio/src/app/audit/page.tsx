"use client";

import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { describeError, useTRPC } from "../../client/trpc";
import { FormError } from "../../components/form-error";
import { Shell } from "../../components/shell";

interface Filter {
  action: string;
  targetType: string;
  from: string;
  to: string;
}

function toInput(filter: Filter) {
  return {
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.targetType ? { targetType: filter.targetType } : {}),
    ...(filter.from ? { from: new Date(filter.from).toISOString() } : {}),
    ...(filter.to ? { to: new Date(`${filter.to}T23:59:59`).toISOString() } : {}),
  };
}

function AuditLog() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Filter>({ action: "", targetType: "", from: "", to: "" });
  const [filter, setFilter] = useState<Filter>(draft);
  const [exportError, setExportError] = useState<string | null>(null);
  const log = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { ...toInput(filter), limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const entries = log.data?.pages.flatMap((page) => page.entries) ?? [];
  const rangeError =
    draft.from && draft.to && draft.from > draft.to ? "The end date is before the start date." : null;
  return (
    <main className="shell-main">
      <h1>Audit log</h1>
      <form
        className="row wrap"
        onSubmit={(event) => {
          event.preventDefault();
          if (!rangeError) setFilter(draft);
        }}
      >
        <input
          aria-label="Action"
          placeholder="Action, e.g. flow. or auth."
          value={draft.action}
          onChange={(e) => setDraft({ ...draft, action: e.target.value })}
          style={{ maxWidth: 240 }}
        />
        <select
          aria-label="Target"
          value={draft.targetType}
          onChange={(e) => setDraft({ ...draft, targetType: e.target.value })}
          style={{ maxWidth: 160 }}
        >
          <option value="">Any target</option>
          {["tenant", "bot", "flow", "api_key", "user", "invitation", "webhook"].map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <input
          aria-label="From"
          type="date"
          value={draft.from}
          onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          style={{ maxWidth: 160 }}
        />
        <input
          aria-label="To"
          type="date"
          value={draft.to}
          onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          style={{ maxWidth: 160 }}
          aria-invalid={rangeError !== null}
          aria-describedby={rangeError ? "audit-range-error" : undefined}
        />
        <button type="submit">Filter</button>
        <span className="spacer" />
        <button
          type="button"
          onClick={async () => {
            setExportError(null);
            try {
              const file = await queryClient.fetchQuery(
                trpc.audit.exportCsv.queryOptions(toInput(filter), { staleTime: 0 }),
              );
              const url = URL.createObjectURL(new Blob([file.csv], { type: "text/csv" }));
              const link = Object.assign(document.createElement("a"), { href: url, download: file.filename });
              link.click();
              URL.revokeObjectURL(url);
            } catch (error) {
              setExportError(describeError(error).message);
            }
          }}
        >
          Export CSV
        </button>
      </form>
      {rangeError && (
        <div className="field-error" id="audit-range-error" role="alert">
          {rangeError}
        </div>
      )}
      {exportError && <div className="banner error">{exportError}</div>}
      <FormError error={log.error} />
      <table style={{ marginTop: 16 }}>
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Target</th>
            <th>Change</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td className="muted">{new Date(entry.createdAt).toLocaleString()}</td>
              <td>
                {entry.actorLabel || entry.actorType}
                {entry.actorType === "user" && entry.actorId === null && (
                  <span className="muted" title="Whoever did it was not signed in as this account">
                    {" "}
                    (not signed in)
                  </span>
                )}
              </td>
              <td>
                <code>{entry.action}</code>
              </td>
              <td>
                {entry.targetType} {entry.targetLabel && <strong>{entry.targetLabel} </strong>}
                {entry.targetId && (
                  // Ids share their leading (time) part: the tail tells them apart; the whole id is in the tooltip.
                  <code className="muted" title={entry.targetId}>
                    …{entry.targetId.slice(-8)}
                  </code>
                )}
              </td>
              <td>
                {(entry.before !== null || entry.after !== null) && (
                  <details>
                    <summary>{entry.before !== null ? "before / after" : "details"}</summary>
                    <pre>{JSON.stringify({ before: entry.before, after: entry.after }, null, 2)}</pre>
                  </details>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {log.hasNextPage && (
        <p>
          <button type="button" onClick={() => log.fetchNextPage()} disabled={log.isFetchingNextPage}>
            Load more
          </button>
        </p>
      )}
    </main>
  );
}

/** Every mutation in the workspace: who, what, when; filterable and exportable as CSV. */
export default function AuditPage() {
  return (
    <Shell>
      <AuditLog />
    </Shell>
  );
}
