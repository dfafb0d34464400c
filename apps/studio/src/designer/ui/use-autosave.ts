"use client";

import type { FlowDocument } from "@parley/flow-schema";
import { flowDocumentSchema } from "@parley/flow-schema";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { csrfHeaders, describeError, useTRPC } from "../../client/trpc";
import { trackSave } from "./pending-saves";

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
 *
 * Nothing is lost on the way out: closing the designer (navigation) sends the pending change at once,
 * and the next designer of the flow waits for it (pending-saves); leaving the page (reload, close)
 * with a change not yet saved asks first and sends it with a keepalive request. Each save also
 * updates the query cache, so the flow is never shown from an older draft.
 */
export function useAutosave(
  flowId: string,
  doc: FlowDocument,
  initial: SavedDraft,
  enabled: boolean,
  delayMs = 800,
) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const flowQueryKey = trpc.flows.get.queryKey({ flowId });
  const flowQueryKeyRef = useRef(flowQueryKey);
  flowQueryKeyRef.current = flowQueryKey;
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

  /** Makes a save the new base, and the cached flow show it. */
  const accept = useCallback(
    (doc: FlowDocument, revision: number) => {
      saved.current = { doc, revision };
      queryClient.setQueryData(flowQueryKeyRef.current, (old) =>
        old ? { ...old, draft: doc as unknown as typeof old.draft, draftRevision: revision } : old,
      );
    },
    [queryClient],
  );

  const flush = useCallback(async (): Promise<boolean> => {
    // A loop, not one wait: callers queued behind the same save must not all start the next one
    // with the same base revision (the second would be refused as a conflict with ourselves).
    while (inFlight.current) await inFlight.current;
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
        accept(current, result.flow.draftRevision);
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
    trackSave(flowId, inFlight.current);
    await inFlight.current;
    return ok;
  }, [flowId, accept]);

  const dirty = useCallback(
    () => enabled && !conflicted.current && latest.current !== saved.current.doc,
    [enabled],
  );

  // Closing the designer (a link, the back button) sends what is still pending right away.
  useEffect(() => () => void (dirty() ? flush() : undefined), [dirty, flush]);

  // Leaving the page: warn while a change is unsaved, and try to send it anyway (keepalive outlives
  // the page; if the user stays, its answer becomes the new base as a normal save would).
  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      // Unsaved local changes (also those held back by a conflict) or a save on its way: ask first.
      const unsaved = enabled && latest.current !== saved.current.doc;
      if (!unsaved && !inFlight.current) return;
      event.preventDefault();
      event.returnValue = "";
      if (!dirty() || inFlight.current) return;
      const current = latest.current;
      if (!flowDocumentSchema.safeParse(current).success) return;
      const body = JSON.stringify({
        flowId,
        document: current,
        expectedRevision: saved.current.revision,
      });
      inFlight.current = fetch("/api/trpc/flows.saveDraft", {
        method: "POST",
        keepalive: body.length < 60_000,
        credentials: "same-origin",
        headers: { "content-type": "application/json", ...csrfHeaders() },
        body,
      })
        .then(async (response) => {
          const json = (await response.json()) as {
            result?: { data?: { flow?: { draftRevision?: number } } };
          };
          const revision = json.result?.data?.flow?.draftRevision;
          if (response.ok && typeof revision === "number") {
            accept(current, revision);
            setSaves((n) => n + 1);
          }
        })
        .catch(() => undefined)
        .finally(() => {
          inFlight.current = null;
        });
      trackSave(flowId, inFlight.current);
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [dirty, enabled, flowId, accept]);

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
