"use client";

import type { FlowDocument } from "@parley/flow-schema";
import { useCallback, useEffect, useRef } from "react";
import { copySelection, type FlowClipboard, pasteClipboard } from "../../core/document-ops";

interface ShortcutOptions {
  readonly doc: FlowDocument;
  readonly selectedIds: readonly string[];
  readonly canEdit: boolean;
  readonly commit: (next: FlowDocument) => void;
  readonly undo: () => void;
  readonly redo: () => void;
  readonly selectAll: () => void;
  readonly selectAfterNextBuild: (nodeIds: Iterable<string>) => void;
}

/**
 * Ctrl/Cmd shortcuts of the canvas: undo, redo, copy, paste, select all. Listens on the whole
 * window because focus may be on the body after the focused node was deleted or undone; typing in
 * a field or a dialog is left alone.
 */
export function useDesignerShortcuts(options: ShortcutOptions) {
  const clipboard = useRef<FlowClipboard | null>(null);
  const { doc, selectedIds, canEdit, commit, undo, redo, selectAll, selectAfterNextBuild } = options;

  const onKeyDown = useCallback(
    (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      // A Radix Select is a button (role combobox) with a list (listbox): its keys are its own, as a <select>'s.
      if (
        target.closest?.(
          "input, textarea, select, [role='combobox'], [role='listbox'], [contenteditable], .modal",
        )
      )
        return;
      if (!(event.ctrlKey || event.metaKey)) return;
      const key = event.key.toLowerCase();
      if (key === "z" && !event.shiftKey && canEdit) undo();
      else if ((key === "z" && event.shiftKey) || key === "y") canEdit && redo();
      else if (key === "c") clipboard.current = copySelection(doc, selectedIds);
      else if (key === "v" && clipboard.current && canEdit) {
        const pasted = pasteClipboard(doc, clipboard.current);
        selectAfterNextBuild(pasted.nodeIds);
        commit(pasted.doc);
      } else if (key === "a") selectAll();
      else return;
      event.preventDefault();
    },
    [doc, selectedIds, commit, undo, redo, canEdit, selectAll, selectAfterNextBuild],
  );

  useEffect(() => {
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [onKeyDown]);
}
