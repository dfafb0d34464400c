"use client";

import type { ConflictChoice } from "./hooks/use-draft-sync";

/** Shown when someone else saved the flow meanwhile: reload theirs, merge, or overwrite. */
export function ConflictBanner({
  message,
  onResolve,
}: {
  readonly message: string;
  readonly onResolve: (how: ConflictChoice) => void;
}) {
  return (
    <div className="banner error conflict" role="alert" data-testid="conflict-banner">
      Someone else saved this flow while you were editing, so your last changes are not saved. {message}
      <div className="row" style={{ marginTop: 6 }}>
        <button type="button" className="small" onClick={() => onResolve("reload")}>
          Reload theirs (drop my changes)
        </button>
        <button type="button" className="small primary" onClick={() => onResolve("merge")}>
          Merge my changes into theirs
        </button>
        <button type="button" className="small danger" onClick={() => onResolve("overwrite")}>
          Overwrite with mine
        </button>
      </div>
    </div>
  );
}
