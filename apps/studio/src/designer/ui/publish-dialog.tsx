"use client";

import { TextArea } from "@radix-ui/themes";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { describeError, useTRPC } from "../../client/trpc";
import { issuesOf } from "../../components/field";
import { OfflineModelWarning } from "../../components/offline-model-warning";

interface PublishDialogProps {
  readonly botId: string;
  readonly flowId: string;
  readonly flowName: string;
  readonly problemCount: number;
  /** Saves pending edits first; false when the draft could not be saved. */
  readonly flush: () => Promise<boolean>;
  readonly onClose: () => void;
  readonly onShowProblems: () => void;
  readonly onPublished: (version: number) => void;
}

/** Publishes the saved draft as a new version with a note; refuses while the flow has problems. */
export function PublishDialog(props: PublishDialogProps) {
  const { botId, flowId, flowName, problemCount, flush, onClose, onShowProblems, onPublished } = props;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const publish = useMutation(
    trpc.flows.publish.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.flows.pathKey() }),
    }),
  );
  const [note, setNote] = useState("");
  const [publishError, setPublishError] = useState<string | null>(null);
  const [noteError, setNoteError] = useState<string | null>(null);

  const confirm = async () => {
    setPublishError(null);
    setNoteError(null);
    if (!(await flush())) {
      setPublishError("The draft could not be saved; resolve that first.");
      return;
    }
    try {
      const version = await publish.mutateAsync({ flowId, note });
      onPublished(version.version);
    } catch (error) {
      const noteProblem = issuesOf(error).note;
      if (noteProblem) setNoteError(noteProblem);
      else setPublishError(describeError(error).message);
    }
  };

  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-label="Publish">
        <h2>Publish {flowName}</h2>
        {problemCount > 0 ? (
          <p className="error">
            This flow has {problemCount} problem{problemCount === 1 ? "" : "s"}; fix{" "}
            {problemCount === 1 ? "it" : "them"} before publishing.{" "}
            <button type="button" className="small" onClick={onShowProblems}>
              Show the problems
            </button>
          </p>
        ) : (
          <p className="muted">New conversations will start on the new version; running ones keep theirs.</p>
        )}
        <OfflineModelWarning botId={botId} flowId={flowId} when="publishing" />
        <label htmlFor="publish-note">Note (what changed)</label>
        <TextArea
          id="publish-note"
          value={note}
          maxLength={2_000}
          onChange={(e) => {
            setNote(e.target.value);
            setNoteError(null);
          }}
          aria-invalid={noteError !== null}
          aria-describedby={noteError ? "publish-note-error" : undefined}
        />
        {noteError && (
          <div className="field-error" id="publish-note-error" role="alert">
            {noteError}
          </div>
        )}
        {publishError && <div className="banner error">{publishError}</div>}
        <p className="row">
          <button
            type="button"
            className="primary"
            data-testid="publish-confirm"
            disabled={problemCount > 0 || publish.isPending}
            onClick={confirm}
          >
            Publish
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </p>
      </div>
    </div>
  );
}
