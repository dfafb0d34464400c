"use client";

import { checkFlow, type FlowDocument } from "@parley/flow-schema";
import { useDeferredValue, useMemo } from "react";
import type { CanvasDecorations } from "../../core/canvas-model";
import { diffFlows } from "../../core/diff";
import type { TurnHighlight } from "../test-chat";
import type { ComparedVersion } from "../versions-panel";

/**
 * Validation, the version diff and the canvas decorations of the draft. Validation runs on a
 * deferred copy so typing and dragging stay smooth on large flows; the diff follows the draft, so
 * edits (and a rollback) show up in it at once.
 */
export function useFlowChecks(
  doc: FlowDocument,
  highlight: TurnHighlight | null,
  compare: ComparedVersion | null,
) {
  const deferredDoc = useDeferredValue(doc);
  const checked = useMemo(() => checkFlow(deferredDoc), [deferredDoc]);
  const problems = checked.problems;
  const compareDiff = useMemo(
    () => (compare ? { version: compare.version, diff: diffFlows(compare.base, deferredDoc) } : null),
    [compare, deferredDoc],
  );
  const decorations = useMemo<CanvasDecorations>(
    () => ({
      problems,
      activeNodeId: highlight?.activeNodeId ?? null,
      visitedNodeIds: new Set(highlight?.visited ?? []),
      ...(compareDiff ? { changes: compareDiff.diff.nodes } : {}),
    }),
    [problems, highlight, compareDiff],
  );
  return { problems, structurallyValid: checked.flow !== null, compareDiff, decorations };
}
