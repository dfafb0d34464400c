"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../form-error";
import { formatBytes } from "./file-format";

const STATUS_BADGE = { ready: "ok", indexing: "warn", pending: "warn", failed: "danger" } as const;
const SOURCE_LABEL = { text: "Text", markdown: "Markdown", html: "HTML", pdf: "PDF", url: "URL" } as const;

/** A bot's documents with their indexing status and chunk count; polls while any is being indexed. */
export function DocumentsTable({ botId, canWrite }: { botId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const documents = useQuery(
    trpc.knowledge.list.queryOptions(
      { botId },
      {
        refetchInterval: (query) =>
          query.state.data?.some((d) => d.status === "pending" || d.status === "indexing") ? 2_000 : false,
      },
    ),
  );
  const remove = useMutation(
    trpc.knowledge.delete.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.knowledge.pathKey() }),
    }),
  );
  const ready = documents.data?.filter((d) => d.status === "ready") ?? [];
  const chunks = ready.reduce((sum, d) => sum + d.chunkCount, 0);
  return (
    <section className="section" aria-labelledby="documents-title">
      <div className="section-head">
        <h2 id="documents-title">Documents</h2>
        {documents.data && (
          <span className="muted">
            {ready.length} indexed · {chunks} chunk{chunks === 1 ? "" : "s"}
          </span>
        )}
      </div>
      <FormError error={documents.error ?? remove.error} />
      {documents.data?.length === 0 ? (
        <div className="empty">No documents yet. {canWrite ? "Upload files or add URLs above." : ""}</div>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Title</th>
              <th>Type</th>
              <th>Status</th>
              <th className="num">Chunks</th>
              <th className="num">Size</th>
              <th>Added</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {documents.data?.map((document) => (
              <tr key={document.id} data-testid={`document-${document.title}`}>
                <td>
                  <b>{document.title}</b>
                  {document.sourceUrl && (
                    <div>
                      <a
                        className="truncate"
                        href={document.sourceUrl}
                        target="_blank"
                        rel="noreferrer noopener"
                      >
                        {document.sourceUrl}
                      </a>
                    </div>
                  )}
                  {document.error && <div className="field-error">{document.error}</div>}
                </td>
                <td>{SOURCE_LABEL[document.source]}</td>
                <td>
                  <span className={`badge ${STATUS_BADGE[document.status]}`}>{document.status}</span>
                </td>
                <td className="num">{document.chunkCount}</td>
                <td className="num">{formatBytes(document.byteSize)}</td>
                <td className="muted">{new Date(document.createdAt).toLocaleString()}</td>
                <td className="actions">
                  {canWrite && (
                    <button
                      className="small danger"
                      type="button"
                      aria-label={`Delete ${document.title}`}
                      onClick={() =>
                        window.confirm(`Delete "${document.title}" and its chunks?`) &&
                        remove.mutate({ botId, documentId: document.id })
                      }
                    >
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
