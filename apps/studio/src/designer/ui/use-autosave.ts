"use client";

import type { FlowDocument } from "@parley/flow-schema";
import { flowDocumentSchema } from "@parley/flow-schema";
import { useMutation } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { describeError, useTRPC } from "../../client/trpc";

/** Where the draft stands against the server. */
export type SaveState =
  | { status: "saved" }
  | { status: "pending" }
  | { status: "saving" }
  | { status: "invalid"; message: string }
  | { status: "conflict"; message: string }
  | { status: "error"; message: string };

/** What was last saved: the base for the next save and for a merge. */
export interface SavedDraft {
  readonly doc: FlowDocument;
  readonly revision: number;
}

/**
 * Saves the draft a moment after each change, with the revision it was based on (optimistic
 * concurrency). A save refused because someone else saved meanwhile stops autosaving and reports
 * `conflict`; the designer then offers reload, merge or overwrite. A draft whose shape does not
 * parse is not sent (the inspector shows why).
 */
export function useAutosave(
  flowId: string,
  doc: FlowDocument,
  initial: SavedDraft,
  enabled: boolean,
  delayMs = 800,
) {
  const trpc = useTRPC();
  const saved = useRef<SavedDraft>(initial);
  const [state, setState] = useState<SaveState>({ status: "saved" });
  const [serverProblems, setServerProblems] = useState<unknown[] | null>(null);
  const save = useMutation(trpc.flows.saveDraft.mutationOptions());
  // The mutation object changes on every render; the callbacks below must not.
  const saveRef = useRef(save.mutateAsync);
  saveRef.current = save.mutateAsync;
  const inFlight = useRef<Promise<void> | null>(null);
  const latest = useRef(doc);
  latest.current = doc;
  const conflicted = useRef(false);
  // Bumped after each save, so a change made while that save was in flight is compared with the new
  // base and saved too (an undo back to the old base would otherwise look "already saved").
  const [saves, setSaves] = useState(0);

  const flush = useCallback(async (): Promise<boolean> => {
    if (inFlight.current) await inFlight.current;
    const current = latest.current;
    if (current === saved.current.doc) {
      setState((s) => (s.status === "saving" ? s : { status: "saved" }));
      return true;
    }
    if (conflicted.current) return false;
    const shape = flowDocumentSchema.safeParse(current);
    if (!shape.success) {
      setState({ status: "invalid", message: "Not saved: fix the highlighted fields first." });
      return false;
    }
    setState({ status: "saving" });
    let ok = false;
    inFlight.current = (async () => {
      try {
        const result = await saveRef.current({
          flowId,
          document: current as unknown as Record<string, unknown>,
          expectedRevision: saved.current.revision,
        });
        saved.current = { doc: current, revision: result.flow.draftRevision };
        setServerProblems(result.validation.problems);
        setState(latest.current === current ? { status: "saved" } : { status: "pending" });
        setSaves((n) => n + 1);
        ok = true;
      } catch (error) {
        const described = describeError(error);
        if (described.code === "CONFLICT") {
          conflicted.current = true;
          setState({ status: "conflict", message: described.message });
        } else setState({ status: "error", message: described.message });
      } finally {
        inFlight.current = null;
      }
    })();
    await inFlight.current;
    return ok;
  }, [flowId]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `saves` re-runs the check after a save (see its declaration).
  useEffect(() => {
    if (!enabled || conflicted.current) return;
    if (doc === saved.current.doc) {
      // Back to what is saved (an undo before the save went out): nothing left to save.
      setState((s) => (s.status === "saving" ? s : { status: "saved" }));
      return;
    }
    setState((s) => (s.status === "saving" || s.status === "pending" ? s : { status: "pending" }));
    const timer = setTimeout(() => void flush(), delayMs);
    return () => clearTimeout(timer);
  }, [doc, enabled, delayMs, flush, saves]);

  /** Accepts a server state as the new base (after reload, merge or overwrite) and resumes autosave. */
  const rebase = useCallback((next: SavedDraft) => {
    saved.current = next;
    conflicted.current = false;
    setState({ status: next.doc === latest.current ? "saved" : "pending" });
  }, []);

  return { state, flush, rebase, saved, serverProblems };
}
