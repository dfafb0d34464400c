"use client";

import type { FlowDocument } from "@parley/flow-schema";
import { useCallback } from "react";
import { useTRPCClient } from "../../../client/trpc";
import { mergeFlows } from "../../core/merge";
import type { useAutosave } from "../use-autosave";

type Autosave = ReturnType<typeof useAutosave>;

/** How the user settles a save conflict: take theirs, merge mine onto theirs, or overwrite theirs. */
export type ConflictChoice = "reload" | "merge" | "overwrite";

interface DraftSyncOptions {
  readonly flowId: string;
  readonly doc: FlowDocument;
  readonly autosave: Autosave;
  readonly commit: (next: FlowDocument) => void;
  readonly resetHistory: (doc: FlowDocument) => void;
  readonly notify: (message: string) => void;
}

/**
 * Brings the local draft back in line with the server: after a save conflict, and after a rollback
 * made the rolled-back version the draft.
 */
export function useDraftSync({ flowId, doc, autosave, commit, resetHistory, notify }: DraftSyncOptions) {
  const client = useTRPCClient();

  const fetchServerDraft = useCallback(async () => {
    const theirs = await client.flows.get.query({ flowId });
    return { doc: theirs.draft as unknown as FlowDocument, revision: theirs.draftRevision };
  }, [client, flowId]);

  const resolveConflict = useCallback(
    async (how: ConflictChoice) => {
      const theirs = await fetchServerDraft();
      const base = autosave.saved.current.doc;
      autosave.rebase(theirs);
      if (how === "reload") resetHistory(theirs.doc);
      else if (how === "merge") {
        const merged = mergeFlows(base, doc, theirs.doc);
        commit(merged.doc);
        if (merged.conflicts.length > 0)
          notify(`Merged. Both of you changed: ${merged.conflicts.join(", ")}; your version was kept.`);
      } else await autosave.flush();
    },
    [fetchServerDraft, autosave, resetHistory, commit, doc, notify],
  );

  const reloadAfterRollback = useCallback(
    async (copyName: string | null = null) => {
      const fresh = await fetchServerDraft();
      autosave.rebase(fresh);
      resetHistory(fresh.doc);
      notify(
        copyName
          ? `Rolled back: that version is live again and is now the draft. Your unpublished changes are kept in the flow “${copyName}”.`
          : "Rolled back: that version is live again and is now the draft.",
      );
    },
    [fetchServerDraft, autosave, resetHistory, notify],
  );

  return { resolveConflict, reloadAfterRollback };
}
