"use client";

import type { FlowDocument } from "@parley/flow-schema";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTRPC } from "../../client/trpc";
import { FormError } from "../../components/form-error";
import { diffFlows, summarizeDiff } from "../core/diff";

/** What the rollback dialog needs from the designer. */
export interface RollbackRequest {
  readonly version: number;
  /** The live version (the newest published), which the draft's unpublished edits are measured against. */
  readonly liveVersion: number;
}

/**
 * Asks before a rollback replaces the draft (a native modal `<dialog>`: focus moves in, Escape
 * cancels, the page behind is inert). When the draft has edits that were never published, it says
 * which and offers to keep them as a copy (a new flow of the bot, restorable by opening it) or to
 * discard them; with no such edits it only confirms.
 */
export function RollbackDialog({
  request,
  botId,
  flowId,
  flowName,
  doc,
  flush,
  revision,
  onClose,
  onRolledBack,
}: {
  request: RollbackRequest;
  botId: string;
  flowId: string;
  flowName: string;
  /** The designer's draft, as the user sees it. */
  doc: FlowDocument;
  /** Saves pending edits; false when the draft could not be saved. */
  flush: () => Promise<boolean>;
  /** The saved draft's revision, read after flushing. */
  revision: () => number;
  onClose: () => void;
  /** `copyName`: the flow the draft was kept as, if it was. */
  onRolledBack: (copyName: string | null) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const live = useQuery(trpc.flows.version.queryOptions({ flowId, version: request.liveVersion }));
  const createCopy = useMutation(trpc.flows.create.mutationOptions());
  const rollback = useMutation(trpc.flows.rollback.mutationOptions());
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  const liveDoc = live.data?.document as unknown as FlowDocument | undefined;
  const diff = liveDoc ? diffFlows(liveDoc, doc) : null;
  const unpublished = diff ? summarizeDiff(diff) !== "No differences" : false;
  const copyName = `${flowName} (draft before rollback to v${request.version})`.slice(0, 200);

  const run = async (keepCopy: boolean) => {
    setError(null);
    setBusy(true);
    try {
      if (!(await flush())) throw new Error("The draft could not be saved; resolve that first.");
      if (keepCopy) {
        await createCopy.mutateAsync({ botId, name: copyName, source: { type: "import", document: doc } });
      }
      await rollback.mutateAsync({ flowId, version: request.version, expectedRevision: revision() });
      await queryClient.invalidateQueries({ queryKey: trpc.flows.pathKey() });
      onRolledBack(keepCopy ? copyName : null);
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialog}
      className="modal"
      aria-labelledby="rollback-title"
      aria-describedby="rollback-body"
      data-testid="rollback-dialog"
      onClose={onClose}
    >
      <h2 id="rollback-title">Roll back to version {request.version}?</h2>
      <div id="rollback-body">
        <p>Version {request.version} is published again and becomes the draft.</p>
        {live.isPending && <p className="muted">Checking the draft for unpublished changes…</p>}
        {unpublished && diff && (
          <p className="banner hint" data-testid="rollback-unpublished">
            Your draft has changes that were never published ({summarizeDiff(diff)}). Keep them as a copy (a
            new flow named “{copyName}”, which you can open and publish later), or discard them.
          </p>
        )}
        {live.data && !unpublished && <p className="muted">The draft has no unpublished changes.</p>}
      </div>
      <FormError error={error ?? live.error} />
      <div className="form-actions">
        <button type="button" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        {unpublished ? (
          <>
            <button type="button" onClick={() => void run(false)} disabled={busy}>
              Discard my changes and roll back
            </button>
            <button type="button" className="primary" onClick={() => void run(true)} disabled={busy}>
              Keep a copy and roll back
            </button>
          </>
        ) : (
          <button
            type="button"
            className="primary"
            onClick={() => void run(false)}
            disabled={busy || !live.data}
          >
            Roll back
          </button>
        )}
      </div>
    </dialog>
  );
}
