"use client";

import type { FlowDocument } from "@parley/flow-schema";
import { useCallback, useRef, useState } from "react";
import {
  canRedo,
  canUndo,
  createHistory,
  type History,
  pushHistory,
  redo,
  replacePresent,
  undo,
} from "../../core/history";

/** Typing in one field within this window is one undo step. */
const COALESCE_MS = 1_000;

/**
 * The designer's document with undo/redo. `commit(next, key)` records an edit; edits with the same
 * `key` within a second (typing in one field) coalesce into one undo step.
 *
 * @example
 * const { doc, commit, undo } = useFlowHistory(initialDoc);
 * commit(updateNode(doc, "n1", { text: "Hi" }), "n1.text");
 */
export function useFlowHistory(initialDoc: FlowDocument) {
  const [history, setHistory] = useState<History<FlowDocument>>(() => createHistory(initialDoc));
  const lastCommit = useRef<{ key: string; at: number } | null>(null);

  const commit = useCallback((next: FlowDocument, coalesceKey?: string) => {
    const now = Date.now();
    const coalesce =
      coalesceKey && lastCommit.current?.key === coalesceKey && now - lastCommit.current.at < COALESCE_MS;
    lastCommit.current = coalesceKey ? { key: coalesceKey, at: now } : null;
    setHistory((h) => (coalesce ? replacePresent(h, next) : pushHistory(h, next)));
  }, []);
  const doUndo = useCallback(() => setHistory(undo), []);
  const doRedo = useCallback(() => setHistory(redo), []);
  /** Starts a fresh history at `doc` (after a reload or a rollback: nothing to undo into). */
  const reset = useCallback((doc: FlowDocument) => setHistory(createHistory(doc)), []);

  return {
    doc: history.present,
    commit,
    undo: doUndo,
    redo: doRedo,
    reset,
    canUndo: canUndo(history),
    canRedo: canRedo(history),
  };
}
