"use client";

import type { FlowDocument } from "@parley/flow-schema";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../../components/form-error";
import type { FlowDiff } from "../core/diff";
import { summarizeDiff } from "../core/diff";

/** A published version the canvas is compared with (the diff follows the draft as it changes). */
export interface ComparedVersion {
  readonly version: number;
  readonly base: FlowDocument;
}

/** Version history (who and when), a visual diff of a version against the draft, and rollback. */
export function VersionsPanel({
  flowId,
  canPublish,
  expectedRevision,
  comparing,
  onCompare,
  onRolledBack,
}: {
  flowId: string;
  canPublish: boolean;
  expectedRevision: number;
  /** The version the canvas is compared with, if any. */
  comparing: number | null;
  onCompare: (compared: ComparedVersion | null) => void;
  onRolledBack: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const versions = useQuery(trpc.flows.versions.queryOptions({ flowId }));
  const rollback = useMutation(
    trpc.flows.rollback.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.flows.pathKey() });
        onCompare(null);
        onRolledBack();
      },
    }),
  );
  const [compareError, setCompareError] = useState<unknown>(null);
  const compare = async (version: number) => {
    if (comparing === version) {
      onCompare(null);
      return;
    }
    setCompareError(null);
    try {
      const loaded = await queryClient.fetchQuery(trpc.flows.version.queryOptions({ flowId, version }));
      onCompare({ version, base: loaded.document as unknown as FlowDocument });
    } catch (error) {
      setCompareError(error);
    }
  };
  return (
    <div className="side-section" data-testid="versions-panel">
      <FormError error={versions.error ?? rollback.error ?? compareError} />
      {versions.data?.length === 0 && <p className="muted">Not published yet.</p>}
      {versions.data?.map((version, index) => (
        <div key={version.id} className="version-row">
          <div className="row">
            <b>v{version.version}</b>
            {index === 0 && <span className="badge ok">live</span>}
            <span className="spacer" />
            <button type="button" className="small" onClick={() => compare(version.version)}>
              {comparing === version.version ? "Hide diff" : "Diff with draft"}
            </button>
            {canPublish && index > 0 && (
              <button
                type="button"
                className="small"
                disabled={rollback.isPending}
                onClick={() =>
                  window.confirm(`Publish version ${version.version} again (and make it the draft)?`) &&
                  rollback.mutate({ flowId, version: version.version, expectedRevision })
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
