"use client";

import Link from "next/link";
import type { SaveState } from "./use-autosave";

const SAVE_LABELS: Record<SaveState["status"], string> = {
  saved: "All changes saved",
  pending: "Unsaved changes…",
  saving: "Saving…",
  invalid: "Not saved",
  conflict: "Save conflict",
  error: "Save failed",
};

interface DesignerToolbarProps {
  readonly botId: string;
  readonly flowName: string;
  readonly save: SaveState;
  readonly canEdit: boolean;
  readonly canPublish: boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly onUndo: () => void;
  readonly onRedo: () => void;
  readonly onAutoLayout: () => void;
  readonly onFitView: () => void;
  readonly onExport: () => void;
  readonly onImport: (file: File) => void;
  readonly onPublish: () => void;
}

/** The designer's header: back link, save state, undo/redo, layout, import/export, publish. */
export function DesignerToolbar(props: DesignerToolbarProps) {
  const { save, canEdit } = props;
  return (
    <header className="designer-top">
      <Link href={`/bots/${props.botId}`}>←</Link>
      <b>{props.flowName}</b>
      <span
        className={`save-state ${save.status}`}
        data-testid="save-state"
        title={"message" in save ? save.message : ""}
      >
        {SAVE_LABELS[save.status]}
      </span>
      <span className="spacer" />
      <button
        type="button"
        className="small"
        onClick={props.onUndo}
        disabled={!props.canUndo || !canEdit}
        title="Undo (Ctrl+Z)"
      >
        Undo
      </button>
      <button
        type="button"
        className="small"
        onClick={props.onRedo}
        disabled={!props.canRedo || !canEdit}
        title="Redo (Ctrl+Shift+Z)"
      >
        Redo
      </button>
      <button type="button" className="small" onClick={props.onAutoLayout} disabled={!canEdit}>
        Auto-layout
      </button>
      <button type="button" className="small" onClick={props.onFitView}>
        Fit view
      </button>
      <button type="button" className="small" onClick={props.onExport}>
        Export JSON
      </button>
      {canEdit && (
        <label className="button small" style={{ margin: 0, fontWeight: 400 }}>
          Import JSON
          <input
            type="file"
            accept=".json,application/json"
            hidden
            onChange={(e) => e.target.files?.[0] && props.onImport(e.target.files[0])}
          />
        </label>
      )}
      {props.canPublish && (
        <button type="button" className="small primary" onClick={props.onPublish} data-testid="publish-open">
          Publish
        </button>
      )}
    </header>
  );
}
