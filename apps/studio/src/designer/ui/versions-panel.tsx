"use client";

import type { FlowDocument } from "@parley/flow-schema";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../../components/form-error";
import { diffFlows, type FlowDiff, summarizeDiff } from "../core/diff";

/** Version history (who and when), a visual diff of a version against the draft, and rollback. */
export function VersionsPanel({
  flowId,
  doc,
  canPublish,
  expectedRevision,
  onCompare,
  onRolledBack,
}: {
  flowId: string;
  doc: FlowDocument;
  canPublish: boolean;
  expectedRevision: number;
  onCompare: (diff: { version: number; diff: FlowDiff } | null) => void;
  onRolledBack: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const versions = useQuery(trpc.flows.versions.queryOptions({ flowId }));
  const [comparing, setComparing] = useState<string | null>(null);
  const rollback = useMutation(
    trpc.flows.rollback.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.flows.pathKey() });
        onRolledBack();
      },
    }),
  );
  const compare = async (versionId: string, version: number) => {
    if (comparing === versionId) {
      setComparing(null);
      onCompare(null);
      return;
    }
    const loaded = await queryClient.fetchQuery(trpc.flows.version.queryOptions({ flowId, versionId }));
    setComparing(versionId);
    onCompare({ version, diff: diffFlows(loaded.document as unknown as FlowDocument, doc) });
  };
  return (
    <div className="side-section" data-testid="versions-panel">
      <FormError error={versions.error ?? rollback.error} />
      {versions.data?.length === 0 && <p className="muted">Not published yet.</p>}
      {versions.data?.map((version, index) => (
        <div key={version.id} className="version-row">
          <div className="row">
            <b>v{version.version}</b>
            {index === 0 && <span className="badge ok">live</span>}
            <span className="spacer" />
            <button type="button" className="small" onClick={() => compare(version.id, version.version)}>
              {comparing === version.id ? "Hide diff" : "Diff with draft"}
            </button>
            {canPublish && index > 0 && (
              <button
                type="button"
                className="small"
                disabled={rollback.isPending}
                onClick={() =>
                  window.confirm(`Publish version ${version.version} again (and make it the draft)?`) &&
                  rollback.mutate({ flowId, versionId: version.id, expectedRevision })
                }
              >
                Roll back
              </button>
            )}
          </div>
          <div className="muted">
            {version.publishedBy?.name ?? "someone"} ·{" "}
            {version.publishedAt ? new Date(version.publishedAt).toLocaleString() : ""}
          </div>
          {version.note && <div>{version.note}</div>}
        </div>
      ))}
    </div>
  );
}

/** The one-line summary of a diff, for the canvas banner. */
export function DiffSummary({ version, diff }: { version: number; diff: FlowDiff }) {
  const removed = [...diff.nodes].filter(([, change]) => change === "removed").map(([id]) => id);
  return (
    <span data-testid="diff-summary">
      Draft vs v{version}: {summarizeDiff(diff)}
      {removed.length > 0 && <> (removed: {removed.join(", ")})</>}
    </span>
  );
}
