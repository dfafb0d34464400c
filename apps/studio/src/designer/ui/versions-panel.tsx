"use client";

import { type FlowDocument, nodeCatalog } from "@parley/flow-schema";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../../components/form-error";
import type { FlowDiff } from "../core/diff";
import { summarizeDiff } from "../core/diff";
import { fieldPathInWords, valueInWords } from "../core/field-guide";
import { RollbackDialog, type RollbackRequest } from "./rollback-dialog";

/** A published version the canvas is compared with (the diff follows the draft as it changes). */
export interface ComparedVersion {
  readonly version: number;
  readonly base: FlowDocument;
}

/** Version history (who and when), a visual diff of a version against the draft, and rollback. */
export function VersionsPanel({
  botId,
  flowId,
  flowName,
  doc,
  canPublish,
  flush,
  revision,
  comparing,
  onCompare,
  onRolledBack,
}: {
  botId: string;
  flowId: string;
  flowName: string;
  /** The draft as the designer shows it (what a rollback would replace). */
  doc: FlowDocument;
  canPublish: boolean;
  flush: () => Promise<boolean>;
  /** The saved draft's revision (read when the rollback is sent, after flushing). */
  revision: () => number;
  /** The version the canvas is compared with, if any. */
  comparing: number | null;
  onCompare: (compared: ComparedVersion | null) => void;
  /** `copyName`: the flow the unpublished draft was kept as, if the user chose so. */
  onRolledBack: (copyName: string | null) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const versions = useQuery(trpc.flows.versions.queryOptions({ flowId }));
  const [rollingBack, setRollingBack] = useState<RollbackRequest | null>(null);
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
      <FormError error={versions.error ?? compareError} />
      {rollingBack && (
        <RollbackDialog
          request={rollingBack}
          botId={botId}
          flowId={flowId}
          flowName={flowName}
          doc={doc}
          flush={flush}
          revision={revision}
          onClose={() => setRollingBack(null)}
          onRolledBack={(copyName) => {
            setRollingBack(null);
            onCompare(null);
            onRolledBack(copyName);
          }}
        />
      )}
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
                disabled={rollingBack !== null}
                onClick={() =>
                  setRollingBack({ version: version.version, liveVersion: versions.data?.[0]?.version ?? 0 })
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

/**
 * The summary of a diff for the canvas banner, and what changed inside each changed node, field by
 * field in the inspector's words ("Ask size: Question "What size?" -> "Which size?"").
 */
export function DiffSummary({ version, diff, doc }: { version: number; diff: FlowDiff; doc: FlowDocument }) {
  const removed = [...diff.nodes].filter(([, change]) => change === "removed").map(([id]) => id);
  const changed = [...diff.fieldChanges];
  return (
    <span data-testid="diff-summary">
      Draft vs v{version}: {summarizeDiff(diff)}
      {removed.length > 0 && <> (removed: {removed.join(", ")})</>}
      {changed.length > 0 && (
        <ul className="diff-fields" data-testid="diff-fields">
          {changed.map(([nodeId, changes]) => {
            const node = doc.nodes.find((n) => n.id === nodeId);
            const title = node ? node.label?.trim() || nodeCatalog[node.kind].label : nodeId;
            return (
              <li key={nodeId} data-testid={`diff-node-${nodeId}`}>
                <b>{title}</b>
                <ul>
                  {changes.map((change) => (
                    <li key={change.path}>
                      {node ? fieldPathInWords(node.kind, change.path) : change.path}:{" "}
                      <del>{valueInWords(change.before)}</del> → <ins>{valueInWords(change.after)}</ins>
                    </li>
                  ))}
                </ul>
              </li>
            );
          })}
        </ul>
      )}
    </span>
  );
}
